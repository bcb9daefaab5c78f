"""Forms never fail on a rotated CSRF token, and a CSRF failure is explained, not a bare 403."""

import pytest
from playwright.sync_api import expect

from testing.axe import assert_accessible
from testing.factories import PASSWORD, import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Wait until the next page shows it: two full runs hung in the two-tab test below, whose tab B was
    # closed while its sign-in was still loading (closing is the one step there with no timeout).
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_signing_out_works_after_signing_in_again_in_another_tab(browser, live_server):
    """Tab A keeps Module 1 open while tab B signs out and in again (a new CSRF token):
    "Sign out" in tab A still signs out."""
    module = import_modules()[0]
    make_learner("two-tabs@example.com")
    context = browser.new_context()
    tab_a = context.new_page()
    tab_a.set_default_timeout(10_000)
    sign_in(tab_a, live_server.url, "two-tabs@example.com")
    tab_a.goto(live_server.url + module.get_absolute_url())

    tab_b = context.new_page()
    tab_b.set_default_timeout(10_000)
    tab_b.goto(live_server.url + "/")
    tab_b.get_by_role("button", name="Sign out").click()
    sign_in(tab_b, live_server.url, "two-tabs@example.com")
    tab_b.close()

    tab_a.get_by_role("button", name="Sign out").click()
    expect(tab_a.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(tab_a.get_by_text("You are signed out.")).to_be_visible()
    context.close()


def test_a_csrf_failure_explains_itself_in_the_site_layout(page, live_server):
    """A form posted without a valid token lands on a page that says what happened and leads back."""
    import_modules()
    make_learner("stale@example.com")
    page.goto(live_server.url + "/accounts/login/")
    page.context.clear_cookies()  # as if the browser dropped its cookies since the page was drawn
    page.get_by_label("Email").fill("stale@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="This form had expired")).to_be_visible()
    expect(page.get_by_text("Nothing you wrote in a reflection is lost")).to_be_visible()
    expect(page.get_by_role("link", name="The Sales Blueprint System")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go back and try again").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
