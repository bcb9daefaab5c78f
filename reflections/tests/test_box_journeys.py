"""What the learner sees around the reflection box: its promise, its limit, and a status that never lags."""

import re

import pytest
from playwright.sync_api import expect

from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMISE = "Saves automatically · come back to it whenever."


@pytest.fixture
def setting(browser, live_server):
    """A learner with Module 1 open in a signed-in browser."""
    module = import_modules()[0]
    learner = make_learner()
    context = signed_in_context(browser, live_server.url, learner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(module_url(live_server.url, module))
    yield page, learner, module
    context.close()


def box(page):
    return page.get_by_role("textbox", name="Think of a recent negotiation")


def status(page):
    return page.locator("#reflection-status")


def test_the_box_promises_to_save_and_states_its_limit_readably(setting):
    """Under the reflection box, as on the customer's page: the seed's promise, and the limit as 20,000."""
    page, _, _ = setting
    help_line = page.locator("#reflection-help")
    expect(help_line).to_contain_text(PROMISE)
    expect(help_line).to_contain_text(re.compile(r"Up to 20,000 characters"))
    assert help_line.bounding_box()["y"] > box(page).bounding_box()["y"] + box(page).bounding_box()["height"] - 1
    expect(box(page)).to_have_accessible_description(re.compile(re.escape(PROMISE)))


def test_the_status_stops_saying_saved_at_the_first_keystroke(setting):
    """After a save, the next key pressed shows at once that there are unsaved words, before any save is sent."""
    page, _, _ = setting
    box(page).fill("Their position was price.")
    expect(status(page)).to_have_text(re.compile(r"^Saved at \d\d:\d\d\.$"))
    sent = []
    page.route("**/api/reflections/**", lambda route: sent.append(route))  # held: never answered
    box(page).press("End")
    box(page).press_sequentially(" Their")
    expect(status(page)).to_have_text("Unsaved changes…")
    assert sent == []


def test_one_time_format_live_and_after_reload(setting):
    """The status after a save reads exactly as it does after reloading the page."""
    page, _, _ = setting
    box(page).fill("Their interest was certainty.")
    expect(status(page)).to_have_text(re.compile(r"^Saved at "))
    live = status(page).text_content()
    page.reload()
    expect(status(page)).to_have_text(live)


def test_printing_a_module_prints_the_whole_reflection(setting):
    """A reflection longer than a printed page prints in full, as text that can break across pages."""
    page, _, _ = setting
    lines = [f"Line {n}: what they asked for, and what they needed." for n in range(1, 121)]
    box(page).fill("\n".join(lines))
    expect(status(page)).to_have_text(re.compile(r"^Saved at "))
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser sends before printing
    printed = page.locator(".reflection .print-copy")
    expect(printed).to_be_visible()
    expect(box(page)).to_be_hidden()
    assert printed.inner_text().strip().splitlines() == lines
    assert printed.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && getComputedStyle(e).overflow === 'visible'")
    page.emulate_media(media="screen")
    expect(box(page)).to_be_visible()
    expect(printed).to_be_hidden()


def test_the_character_counter_stays_on_one_line_on_a_phone(setting):
    """The counter never breaks between its two numbers, whatever the width or the count."""
    page, _, _ = setting
    counter = page.locator("#reflection-help [data-char-count]")
    for width in (320, 340, 360, 375, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for length in (5, 123, 4_567, 12_345):
            box(page).evaluate("(t, n) => { t.value = 'x'.repeat(n); t.dispatchEvent(new Event('input')); }", length)
            assert counter.evaluate("c => c.getClientRects().length") == 1, (width, length)
