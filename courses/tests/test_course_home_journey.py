"""The course home reads as a course's landing page, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from progress.services import module_complete, module_open
from testing.axe import assert_accessible
from testing.browser import signed_in_context
from testing.factories import TEST_DATA, import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_learns_what_the_programme_is_who_it_is_for_and_what_they_take_away(page, live_server):
    """At 1280 px: a wordmark, the programme, its audience, every module's outcome, and a layout
    wider than one reading column."""
    import_modules()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url)
    expect(page.locator(".site-header .brand-mark")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Sales Blueprint System")
    expect(page.get_by_text("A practice-based programme in sales and negotiation")).to_be_visible()
    expect(page.get_by_role("heading", name="Who it is for")).to_be_visible()
    expect(page.get_by_text("Salespeople, account managers and founders")).to_be_visible()
    outcomes = page.get_by_role("region", name="What you walk away with")
    expect(outcomes).to_contain_text("mutual value-creation process")
    expect(page.get_by_role("link", name="Sign up to start")).to_be_visible()
    assert page.locator("main").evaluate("main => main.firstElementChild.getBoundingClientRect().width") >= 1000
    assert_accessible(page)


def test_module_cards_say_start_continue_or_review_and_open_from_anywhere_on_them(browser, live_server):
    """Each card offers what the learner does next with that module, and a click anywhere on it opens it."""
    first, second, third = import_modules(TEST_DATA)
    learner = make_learner()
    module_open(learner=learner, module=first)
    module_complete(learner=learner, module=first)
    module_open(learner=learner, module=second)
    context = signed_in_context(browser, live_server.url, learner, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url)
    cards = page.locator(".module-card")
    expect(cards).to_have_count(3)
    for card, action in zip((cards.nth(0), cards.nth(1), cards.nth(2)), ("Review", "Continue", "Start"), strict=True):
        expect(card.locator(".card-action")).to_have_text(action)
    expect(page.get_by_role("progressbar", name="Course progress")).to_have_attribute("value", "1")
    assert_accessible(page)

    cards.nth(2).scroll_into_view_if_needed()
    box = cards.nth(2).bounding_box()
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)  # an empty corner of the card
    page.wait_for_url(live_server.url + third.get_absolute_url())
    context.close()


def test_the_course_home_fits_a_phone(browser, live_server):
    """At 375 px the landing page fits without sideways scrolling and stays accessible, dark or light."""
    import_modules()
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme=scheme)
        page = context.new_page()
        page.goto(live_server.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
        context.close()
