"""The SCORM 1.2 package run as a learning system runs it: unzipped on a web server of its own, each SCO
in a frame under a page whose ``window.API`` is scorm-again's SCORM 1.2 runtime (npm, pinned)."""

import re

import pytest
from playwright.sync_api import expect

from interchange.tests.lms import SCO, SCORM12, calls, close_sco, launch, serve_package, values
from testing.axe import assert_accessible
from testing.factories import import_modules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lms(tmp_path):
    """A web server holding the unzipped SCORM 1.2 package and the LMS page; its address."""
    import_modules()
    with serve_package(tmp_path, standard="1.2", runtimes=[SCORM12]) as address:
        yield address


def test_a_learner_completes_module_one_in_the_lms_and_finds_their_writing_on_relaunch(page, lms):
    """Launched by the LMS, the SCO initialises, reads the lesson, keeps a reflection and a planner field in
    suspend data, plays the scenario offline, reports completion and session time, commits and finishes;
    launched again with what the LMS stored, the learner's text is back and the module shows completed."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sco = launch(page, lms, SCORM12)
    assert values(page)["cmi.core.lesson_status"] == "incomplete"
    expect(sco.get_by_role("region", name="Hold on to these").get_by_role("listitem")).to_have_count(3)

    reflection = sco.get_by_role("textbox", name="Think of a recent negotiation")
    expect(reflection).to_have_accessible_description(re.compile("Room left for your writing in this module: 4096"))
    reflection.fill("They asked for 20% off; the interest was a budget cycle “ending” in June & a nervous CFO.")
    sco.get_by_role("textbox", name="Who is across the table").fill("Helen Marsh, Operations Director")
    expect(sco.get_by_role("status").filter(has_text="Kept in your learning system.").first).to_be_visible()
    kept = values(page)["cmi.suspend_data"]
    assert "a nervous CFO" in kept and "Helen Marsh" in kept
    assert calls(page)[-1] == "LMSCommit"

    scenario = sco.get_by_role("region", name="Role-play: The 20% Discount Request")
    expect(scenario.get_by_text("I need a 20% discount to make this happen")).to_be_visible()
    scenario.get_by_role("link", name="Offer 10% to meet her halfway").click()
    expect(scenario.get_by_text("Meet me at fifteen")).to_be_visible()
    expect(scenario.get_by_text("I need a 20% discount to make this happen")).to_be_hidden()

    sco.get_by_role("button", name="Mark as complete").click()
    expect(sco.get_by_role("status").filter(has_text="Completed")).to_be_visible()
    assert values(page)["cmi.core.lesson_status"] == "completed"
    close_sco(page, SCORM12)
    reported = values(page)
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", reported["cmi.core.session_time"])
    assert reported["cmi.core.exit"] == "suspend"
    assert calls(page)[-2:] == ["LMSCommit", "LMSFinish"]
    assert all(url.startswith(lms) or url == "about:blank" for url in requests), requests

    stored = {"core": {"lesson_status": "completed"}, "suspend_data": reported["cmi.suspend_data"]}
    sco = launch(page, lms, SCORM12, stored)
    expect(sco.get_by_role("textbox", name="Think of a recent negotiation")).to_have_value(
        "They asked for 20% off; the interest was a budget cycle “ending” in June & a nervous CFO."
    )
    expect(sco.get_by_role("textbox", name="Who is across the table")).to_have_value("Helen Marsh, Operations Director")
    expect(sco.get_by_role("alert")).to_have_text("Your writing from last time is back in its boxes.")
    expect(sco.get_by_role("button", name="Mark as complete")).to_be_disabled()
    assert "cmi.core.lesson_status" not in values(page)  # completed stays completed


def test_writing_beyond_the_suspend_data_limit_is_refused_with_a_message_never_cut(page, lms):
    """SCORM 1.2 keeps 4,096 characters of suspend data: the learner is warned as it fills, and text that
    would not fit is not stored (the last version that fitted is), with a message saying so."""
    sco = launch(page, lms, SCORM12)
    reflection = sco.get_by_role("textbox", name="Think of a recent negotiation")
    fits = "a" * 3800
    reflection.fill(fits)
    expect(reflection).to_have_accessible_description(re.compile("Nearly full: 2.. characters of room left"))
    expect(sco.get_by_role("status").filter(has_text="Kept in your learning system.")).to_be_visible()
    assert fits in values(page)["cmi.suspend_data"]

    reflection.fill(fits + "b" * 400)
    expect(reflection).to_have_accessible_description(re.compile("Not kept: .* at most 4096 characters .* 1.. over"))
    expect(reflection).to_have_attribute("aria-invalid", "true")
    expect(reflection).to_have_value(fits + "b" * 400)  # the learner's text stays in the box to shorten
    close_sco(page, SCORM12)
    stored = values(page)["cmi.suspend_data"]
    assert len(stored) <= 4096 and fits in stored and "b" not in stored


def test_a_sco_opened_outside_a_learning_system_says_nothing_is_kept(page, lms):
    """With no LMS API to find, the lesson reads as usual and the learner is told their writing is not kept."""
    page.goto(f"{lms}/{SCO}")
    expect(page.get_by_role("alert")).to_contain_text("No learning system answered, so nothing you write here is kept.")
    expect(page.get_by_role("button", name="Mark as complete")).to_be_disabled()
    assert_accessible(page)
