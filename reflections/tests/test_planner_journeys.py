"""Browser journeys for the planner: each field saves through the reflections' engine, so it survives the
same faults (offline, the server killed mid-save, two tabs); the page passes axe and prints in full."""

import re

import pytest
from playwright.sync_api import expect

from reflections.tests.test_autosave_journeys import KEPT_HERE, SAVED, HeldSaves
from testing.axe import assert_accessible
from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPENING = "Your opening line"


@pytest.fixture
def setting(browser, live_server):
    """A learner who opened Module 1 and followed its card to the planner."""
    module = import_modules()[0]
    planner = module.activities.get(kind="planner")
    learner = make_learner()
    context = signed_in_context(browser, live_server.url, learner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(module_url(live_server.url, module))
    page.get_by_role("link", name="Plan your next negotiation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan your next negotiation")
    yield page, learner, planner
    context.close()


def field_box(page, label=OPENING):
    return page.get_by_role("textbox", name=label)


def field_status(page, field="opening"):
    return page.locator(f"#{field}-status")


def on_server(browser, live_server, learner, planner, field="opening") -> str:
    """What another device signed in as the same learner reads back for the field."""
    context = signed_in_context(browser, live_server.url, learner)
    try:
        response = context.request.get(f"{live_server.url}/api/reflections/{planner.pk}/{field}/")
        assert response.ok, response.status
        return response.json()["text"]
    finally:
        context.close()


def test_fields_save_by_themselves_and_the_card_counts_them(setting, browser, live_server):
    """Typing in two fields saves each; back on the module page the card says 2 of 5 written."""
    page, learner, planner = setting
    field_box(page, "Who is across the table").press_sequentially("Dana, head of procurement.")
    expect(field_status(page, "counterpart")).to_have_text(SAVED)
    field_box(page).press_sequentially("My goal is a structure that works for both of us.")
    expect(field_status(page)).to_have_text(SAVED)
    assert on_server(browser, live_server, learner, planner, "counterpart") == "Dana, head of procurement."
    assert on_server(browser, live_server, learner, planner) == "My goal is a structure that works for both of us."
    page.get_by_role("link", name=re.compile("Module 1")).click()
    expect(page.locator("p.plan", has_text="Plan your next negotiation")).to_have_text(
        "Plan your next negotiation · 2 of 5 written"
    )


def test_offline_keeps_a_field_here_then_syncs_by_itself(setting, browser, live_server):
    """Offline, the field's status says kept on this device; back online it syncs unprompted."""
    page, learner, planner = setting
    page.context.set_offline(True)
    field_box(page).press_sequentially("Opening written with no signal.")
    expect(field_status(page)).to_have_text(KEPT_HERE)
    assert "Opening written with no signal." in page.evaluate("JSON.stringify(localStorage)")
    page.context.set_offline(False)
    expect(field_status(page)).to_have_text(SAVED, timeout=20_000)
    assert on_server(browser, live_server, learner, planner) == "Opening written with no signal."
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_two_tabs_stale_save_of_a_field_is_refused_and_the_learner_chooses(setting, browser, live_server):
    """The second tab's stale save of the field is refused; both texts are shown; keeping both loses nothing."""
    page, learner, planner = setting
    other = page.context.new_page()
    other.goto(page.url)
    field_box(page).press_sequentially("Opening from tab one.")
    expect(field_status(page)).to_have_text(SAVED)
    field_box(other).press_sequentially("Opening from tab two.")
    expect(field_status(other)).to_have_text(re.compile("changed in another tab"))
    panel = other.locator("#opening [data-conflict]")
    expect(panel).to_contain_text("Opening from tab one.")
    expect(panel).to_contain_text("Opening from tab two.")
    assert on_server(browser, live_server, learner, planner) == "Opening from tab one."
    assert_accessible(other)
    other.get_by_role("button", name="Keep both").click()
    expect(field_status(other)).to_have_text(SAVED)
    saved = on_server(browser, live_server, learner, planner)
    assert "Opening from tab one." in saved and "Opening from tab two." in saved
    assert on_server(browser, live_server, learner, planner, "counterpart") == ""


@pytest.fixture
def app_server(tmp_path, password):
    from testing.servers import AppServer

    server = AppServer(tmp_path)
    server.prepare(email="kai@example.com", password=password)
    server.start()
    yield server
    server.kill()


def sign_in_to_the_planner(page, server, password) -> None:
    page.goto(server.url + "/accounts/login/?next=/courses/sales-blueprint/what-negotiation-actually-is/")
    page.get_by_label("Email").fill("kai@example.com")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/courses/sales-blueprint/what-negotiation-actually-is/")
    page.get_by_role("link", name="Plan your next negotiation").click()
    page.wait_for_url("**/planners/*/")


def test_server_killed_mid_save_of_a_field_then_restarted_syncs_without_a_false_saved(app_server, browser, password):
    """The server dies while a field's save is on the wire; the text waits on the device and syncs after."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    held = HeldSaves(page)
    sign_in_to_the_planner(page, app_server, password)
    field_box(page).press_sequentially("Typed while the server went down.")
    expect(field_status(page)).to_have_text("Saving…")
    app_server.kill()
    held.release()
    expect(field_status(page)).to_have_text(KEPT_HERE)
    page.wait_for_timeout(1000)
    expect(field_status(page)).not_to_have_text(SAVED)
    app_server.start()
    expect(field_status(page)).to_have_text(SAVED, timeout=20_000)

    device = browser.new_context()
    other = device.new_page()
    sign_in_to_the_planner(other, app_server, password)
    expect(field_box(other)).to_have_value("Typed while the server went down.")
    device.close()
    context.close()


def test_planner_page_is_accessible_and_prints_every_field_in_full(setting):
    """axe finds no WCAG 2.2 AA violation; printed, each box grows to its whole text and the buttons go."""
    page, _learner, _planner = setting
    assert_accessible(page)
    long_text = "\n".join(f"Option {n}: a phased start, then a review." for n in range(40))
    field_box(page, "Which options beyond price").fill(long_text)
    expect(field_status(page, "options")).to_have_text(SAVED)
    page.emulate_media(media="print")
    textarea = page.locator("#options-text")
    heights = textarea.evaluate("t => [t.scrollHeight, t.clientHeight]")
    assert heights[0] <= heights[1] + 1, heights
    expect(page.locator("#options .form-actions")).to_be_hidden()
    page.emulate_media(media="screen")
    assert_accessible(page)
