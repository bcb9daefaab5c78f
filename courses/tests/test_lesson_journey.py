"""The lesson page shows the learner where they are in the course and what the module promises."""

import pytest
from playwright.sync_api import expect

from testing.axe import assert_accessible
from testing.browser import module_url, signed_in_context
from testing.factories import TEST_DATA, import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLED = "el => getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)'"


def test_a_learner_sees_where_they_are_and_completes_and_continues(browser, live_server):
    """At 1280 px: 'Module 1 of 3', a course progress bar, the promise before the text and the outcome
    after it, an outline beside the text that stays in view; one filled button, 'Complete and
    continue', which leads to Module 2 with the bar moved on."""
    first, second, _ = import_modules(TEST_DATA)
    context = signed_in_context(browser, live_server.url, make_learner(), viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(module_url(live_server.url, first))
    lesson = page.get_by_role("article")
    expect(lesson.locator(".eyebrow")).to_contain_text("Module 1 of 3")
    bar = page.get_by_role("progressbar", name="Course progress")
    expect(bar).to_have_attribute("value", "0")
    expect(bar).to_have_attribute("max", "3")

    promise = lesson.locator(".promise")
    expect(promise).to_contain_text("By the end of this module")
    expect(promise).to_contain_text("mutual value-creation process")
    first_section = page.get_by_role("heading", name="The combat model and why it fails")
    assert promise.bounding_box()["y"] < first_section.bounding_box()["y"]
    expect(page.get_by_role("region", name="What you walk away with")).to_contain_text("mutual value-creation")

    outline = page.get_by_role("navigation", name="In this module")
    for heading in ("The combat model and why it fails", "The mutual-value creation model", "What you walk away with"):
        expect(outline.get_by_role("link", name=heading)).to_be_visible()
    text = lesson.locator(".lesson-body").bounding_box()
    assert outline.bounding_box()["x"] >= text["x"] + text["width"]  # beside the text, not above it
    outline.get_by_role("link", name="What you walk away with").click()
    expect(outline.get_by_role("link", name="The combat model and why it fails")).to_be_in_viewport()

    filled = [b for b in page.locator("main .button").all() if b.is_visible() and b.evaluate(FILLED)]
    assert [b.inner_text() for b in filled] == ["Complete and continue"]
    expect(page.get_by_role("button", name="Save reflection")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Complete and continue").click()
    page.wait_for_url(module_url(live_server.url, second))
    expect(page.get_by_text("Module 1 is complete. Well done.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Course progress")).to_have_attribute("value", "1")
    expect(page.get_by_role("article").locator(".eyebrow")).to_contain_text("Module 2 of 3")
    context.close()


def test_on_a_phone_the_outline_comes_before_the_text(browser, live_server):
    """At 375 px the outline sits under the promise, in the column, with nothing scrolling sideways."""
    (module,) = import_modules()
    context = signed_in_context(browser, live_server.url, make_learner(), viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(module_url(live_server.url, module))
    outline = page.get_by_role("navigation", name="In this module").bounding_box()
    body = page.locator(".lesson-body").bounding_box()
    assert outline["y"] < body["y"] and outline["x"] + outline["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    context.close()
