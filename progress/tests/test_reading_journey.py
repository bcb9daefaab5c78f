"""Reading time and place in real Chromium, with the page's clock moved by the test (Playwright's clock):
time counts only while the learner is active, and another device opens the module where they left it."""

import re
import time
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from accounts.models import User
from progress.models import ModuleProgress
from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECOND_SECTION = "section-the-mutual-value-creation-model"
WRITTEN = "Ask what the budget is for before talking price."


# Every navigator.sendBeacon call the page makes, kept in the origin's storage: the beacon sent as the
# page is left is not reported to Playwright's request events, but it is recorded here.
RECORD_BEACONS = """
const send = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url, body) => {
  const log = JSON.parse(localStorage.getItem("beacons") || "[]");
  localStorage.setItem("beacons", JSON.stringify([...log, String(body)]));
  return send(url, body);
};
"""


# Scroll the element into view; resolve once the window has dispatched the scroll event (the page's
# reading script, which listens first, has then recorded the activity).
SCROLL_AND_WAIT = """(id) => new Promise((done) => {
  addEventListener("scroll", () => done(), { once: true });
  document.getElementById(id).scrollIntoView();
})"""


def beacons_sent(page) -> list[dict]:
    """The beacons the pages of this origin sent, decoded as the server reads them."""
    return [parse_qs(body) for body in page.evaluate("JSON.parse(localStorage.getItem('beacons') || '[]')")]


def row_when(learner, module, check, timeout: float = 10):
    """The learner's progress row once ``check(row)`` holds (beacons arrive on their own time)."""
    deadline = time.monotonic() + timeout
    while True:
        row = ModuleProgress.objects.filter(learner=learner, module=module).first()
        if row and check(row) or time.monotonic() > deadline:
            return row
        time.sleep(0.1)


def test_time_counts_while_active_and_another_device_opens_the_box_written_in(browser, live_server):
    (module,) = import_modules()
    learner = make_learner()
    size = {"viewport": {"width": 1280, "height": 900}}
    page = signed_in_context(browser, live_server.url, learner, **size).new_page()
    page.set_default_timeout(10_000)
    page.clock.install()
    page.add_init_script(RECORD_BEACONS)
    page.goto(module_url(live_server.url, module))

    # Read the second section for 45 s: the beacon at 30 s carries 30 s and the section. The clock
    # moves only once the page has seen the scroll: on a busy machine the event came in late, 29 s
    # into the run, and counting went on a minute past it (89 s stored).
    page.evaluate(SCROLL_AND_WAIT, SECOND_SECTION)
    page.clock.run_for(45_000)
    row = row_when(learner, module, lambda r: r.reading_seconds > 0)
    assert 29 <= row.reading_seconds <= 31 and row.resume_section == SECOND_SECTION

    # Away for five minutes with the page open: only the first minute after the last scroll counts.
    page.clock.run_for(300_000)
    row = row_when(learner, module, lambda r: r.reading_seconds >= 59)
    assert 59 <= row.reading_seconds <= 61, row.reading_seconds
    assert all(int(beacon["seconds"][0]) <= 30 for beacon in beacons_sent(page) if "seconds" in beacon)

    # Write in the box, then leave for the course page: the place goes with the page's last beacon.
    box = page.get_by_role("textbox", name=re.compile("negotiation"))
    box.click()
    box.press_sequentially(WRITTEN)
    page.clock.run_for(2_000)
    expect(page.locator("#reflection-status")).to_have_text(re.compile("^Saved at "))
    page.get_by_role("link", name="All modules").click()
    row = row_when(learner, module, lambda r: r.resume_box == "reflection-text")
    assert (row.resume_section, row.resume_box) == ("reflection", "reflection-text")
    page.context.close()

    # Another device: Continue leads to the reflection, with the caret at the end of the text.
    other = signed_in_context(browser, live_server.url, learner, **size).new_page()
    other.goto(live_server.url + module.course.get_absolute_url())
    other.get_by_role("link", name="Continue with Module 1").click()
    other.wait_for_url(module_url(live_server.url, module) + "#reflection")
    box = other.get_by_role("textbox", name=re.compile("negotiation"))
    expect(box).to_be_focused()
    expect(box).to_have_value(WRITTEN)
    expect(box).to_be_in_viewport()
    assert box.evaluate("el => [el.selectionStart, el.selectionEnd]") == [len(WRITTEN), len(WRITTEN)]

    # Opening the module itself lands there too; a link to another part of it is obeyed instead.
    other.goto(module_url(live_server.url, module))
    expect(box).to_be_focused()
    other.goto(module_url(live_server.url, module) + "#outcome-title")
    expect(other.get_by_role("heading", name="What you walk away with").first).to_be_in_viewport()
    expect(box).not_to_be_focused()
    other.context.close()


def test_a_learner_who_turned_counting_off_sends_no_time(browser, live_server):
    """Reading, scrolling and leaving for minutes: no beacon carries seconds, none are stored.
    Where they were is still kept, for them to come back to."""
    (module,) = import_modules()
    learner = make_learner()
    User.objects.filter(pk=learner.pk).update(measure_reading_time=False)
    page = signed_in_context(browser, live_server.url, learner).new_page()
    page.set_default_timeout(10_000)
    page.clock.install()
    page.add_init_script(RECORD_BEACONS)
    page.goto(module_url(live_server.url, module))
    for _ in range(4):
        page.evaluate(f"document.getElementById('{SECOND_SECTION}').scrollIntoView()")
        page.mouse.wheel(0, 40)
        page.clock.run_for(30_000)
    page.get_by_role("link", name="All modules").click()
    sent = beacons_sent(page)
    assert len(sent) >= 2 and all("seconds" not in beacon for beacon in sent)
    last = sent[-1]["section"][0]
    row = row_when(learner, module, lambda r: r.resume_section == last)
    assert last and row.resume_section == last
    assert row.reading_seconds == 0
    page.context.close()
