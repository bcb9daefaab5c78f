"""The SCORM 2004 4th edition package run as a learning system runs it: unzipped on a web server of its
own, each SCO in a frame under a page whose ``window.API_1484_11`` is scorm-again's SCORM 2004 runtime."""

import re

import pytest
from playwright.sync_api import expect

from interchange.tests.lms import LAUNCH, SCO, SCORM12, SCORM2004, calls, close_sco, launch, serve_package, values
from testing.factories import import_modules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLECTION = "They asked for 20% off; the interest was a budget cycle “ending” in June & a nervous CFO."
# What the runtime hands the LMS to keep when the SCO terminates (scorm-again's commit of the data model).
LMS_RECORD = "() => window.API_1484_11.renderCommitCMI(true).cmi"


@pytest.fixture
def lms(tmp_path):
    """A web server holding the unzipped SCORM 2004 package and an LMS page for each runtime; its address."""
    import_modules()
    with serve_package(tmp_path, standard="2004", runtimes=[SCORM2004, SCORM12]) as address:
        yield address


def test_a_learner_completes_module_one_in_a_scorm_2004_lms_and_finds_their_writing_on_relaunch(page, lms):
    """Launched by the LMS, the SCO initialises, keeps a reflection and a planner field in suspend data,
    plays the scenario offline, reports completion and an ISO 8601 session time, suspends, commits and
    terminates; launched again with what the LMS kept, the learner's text is back and the module completed."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sco = launch(page, lms, SCORM2004)
    assert values(page)["cmi.completion_status"] == "incomplete"

    reflection = sco.get_by_role("textbox", name="Think of a recent negotiation")
    expect(reflection).to_have_accessible_description(re.compile("Room left for your writing in this module: 64000"))
    reflection.fill(REFLECTION)
    sco.get_by_role("textbox", name="Who is across the table").fill("Helen Marsh, Operations Director")
    expect(sco.get_by_role("status").filter(has_text="Kept in your learning system.").first).to_be_visible()
    kept = values(page)["cmi.suspend_data"]
    assert "a nervous CFO" in kept and "Helen Marsh" in kept
    assert calls(page)[-1] == "Commit"

    scenario = sco.get_by_role("region", name="Role-play: The 20% Discount Request")
    scenario.get_by_role("link", name="Offer 10% to meet her halfway").click()
    expect(scenario.get_by_text("Meet me at fifteen")).to_be_visible()
    expect(scenario.get_by_text("I need a 20% discount to make this happen")).to_be_hidden()

    sco.get_by_role("button", name="Mark as complete").click()
    expect(sco.get_by_role("status").filter(has_text="Completed")).to_be_visible()
    close_sco(page, SCORM2004)
    record = page.evaluate(LMS_RECORD)
    assert record["completion_status"] == "completed"
    assert record["success_status"] == "unknown"  # no test in the module: no pass or fail is claimed
    assert re.fullmatch(r"PT\d+H\d+M\d+\.\d{2}S", record["session_time"]) and record["session_time"] != "PT0H0M0.00S"
    assert record["exit"] == "suspend"
    assert "a nervous CFO" in record["suspend_data"]
    assert calls(page)[-2:] == ["Commit", "Terminate"]
    assert not any(call.startswith(("LMS", "SetValue cmi.core")) for call in calls(page))
    assert all(url.startswith(lms) or url == "about:blank" for url in requests), requests

    stored = {"completion_status": "completed", "suspend_data": record["suspend_data"], "entry": "resume"}
    sco = launch(page, lms, SCORM2004, stored)
    expect(sco.get_by_role("textbox", name="Think of a recent negotiation")).to_have_value(REFLECTION)
    expect(sco.get_by_role("textbox", name="Who is across the table")).to_have_value("Helen Marsh, Operations Director")
    expect(sco.get_by_role("alert")).to_have_text("Your writing from last time is back in its boxes.")
    expect(sco.get_by_role("button", name="Mark as complete")).to_be_disabled()
    assert "cmi.completion_status" not in values(page)  # completed stays completed


def test_writing_beyond_the_64000_character_limit_is_refused_with_a_message_never_cut(page, lms):
    """SCORM 2004 4th edition keeps 64,000 characters of suspend data: the learner is warned as it fills
    (below a tenth of the room), and text that would not fit is not stored (the last version that fitted
    is), with a message saying so."""
    sco = launch(page, lms, SCORM2004)
    reflection = sco.get_by_role("textbox", name="Think of a recent negotiation")
    fits = "a" * 58000
    reflection.fill(fits[:50000])
    expect(reflection).to_have_accessible_description(re.compile("Room left for your writing in this module: 13..."))
    reflection.fill(fits)
    expect(reflection).to_have_accessible_description(re.compile("Nearly full: 59.. characters of room left"))
    expect(sco.get_by_role("status").filter(has_text="Kept in your learning system.")).to_be_visible()
    assert fits in values(page)["cmi.suspend_data"]

    reflection.fill(fits + "b" * 6100)
    expect(reflection).to_have_accessible_description(re.compile("Not kept: .* at most 64000 characters .* 1.. over"))
    expect(reflection).to_have_attribute("aria-invalid", "true")
    expect(reflection).to_have_value(fits + "b" * 6100)  # the learner's text stays in the box to shorten
    close_sco(page, SCORM2004)
    stored = page.evaluate("window.API_1484_11.cmi.suspend_data")
    assert len(stored) <= 64000 and fits in stored and "b" not in stored


def test_the_same_sco_speaks_scorm_12_to_an_lms_that_offers_only_that(page, lms):
    """The one script finds whichever runtime the LMS offers: with only SCORM 1.2's ``API`` it speaks 1.2,
    with 1.2's element names and its 4,096-character limit."""
    sco = launch(page, lms, SCORM12)
    reflection = sco.get_by_role("textbox", name="Think of a recent negotiation")
    expect(reflection).to_have_accessible_description(re.compile("Room left for your writing in this module: 4096"))
    sco.get_by_role("button", name="Mark as complete").click()
    expect(sco.get_by_role("status").filter(has_text="Completed")).to_be_visible()
    close_sco(page, SCORM12)
    assert values(page)["cmi.core.lesson_status"] == "completed"
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", values(page)["cmi.core.session_time"])
    assert calls(page)[-2:] == ["LMSCommit", "LMSFinish"]


def test_an_lms_offering_both_runtimes_is_spoken_to_in_the_packages_own_standard(page, lms):
    """Some learning systems put a SCORM 1.2 ``API`` beside ``API_1484_11``: the 2004 package speaks 2004."""
    page.goto(f"{lms}/lms/2004.html")
    page.evaluate("""() => {
      window.twelveCalls = [];
      window.API = new Proxy({}, {get: (target, name) => () => { window.twelveCalls.push(name); return "true"; }});
    }""")
    page.evaluate(LAUNCH, [SCORM2004.launch_arguments(), None, f"{lms}/{SCO}"])
    page.wait_for_function("window.calls.includes('Initialize')")
    sco = page.frame_locator("#sco")
    expect(sco.get_by_role("textbox", name="Think of a recent negotiation")).to_have_accessible_description(
        re.compile("Room left for your writing in this module: 64000")
    )
    assert values(page)["cmi.completion_status"] == "incomplete"
    assert page.evaluate("window.twelveCalls") == []
