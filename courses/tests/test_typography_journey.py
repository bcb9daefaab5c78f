"""How Module 1 reads in Chromium: one family for every heading, typographic quotes in the text."""

import pytest

from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_module_page_headings_share_one_family_and_quotes_are_typographic(browser, live_server):
    module = import_modules()[0]
    context = signed_in_context(browser, live_server.url, make_learner())
    page = context.new_page()
    page.goto(module_url(live_server.url, module))
    families = page.eval_on_selector_all("main :is(h1, h2, h3)", "hs => hs.map(h => getComputedStyle(h).fontFamily)")
    assert len(families) >= 6 and len(set(families)) == 1, families
    lesson = page.locator(".lesson-body").first.inner_text()
    assert "’" in lesson and "'" not in lesson
    context.close()
