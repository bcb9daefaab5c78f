import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from reflections.models import Reflection
from reflections.services import reflection_save
from testing.axe import assert_accessible
from testing.browser import signed_in_context
from testing.factories import PASSWORD, import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_downloads_their_data_then_deletes_their_account(page, live_server):
    """From the account page: take everything away as JSON, then delete the account for good."""
    module = import_modules()[0]
    learner = make_learner("leaving@example.com")
    reflection_save(
        learner=learner,
        activity=module.activities.get(kind="reflection"),
        text="My notes <on> Acme & co.",
        base_revision=0,
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("leaving@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Account").click()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download.value.path().read_text())
    assert "My notes <on> Acme & co." in json.dumps(data, ensure_ascii=False)

    page.get_by_role("link", name="Delete my account").click()
    assert_accessible(page)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    assert User.objects.filter(email="leaving@example.com").exists()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert not User.objects.filter(email="leaving@example.com").exists()
    assert not Reflection.objects.exists()


def test_signing_up_with_a_weak_password_keeps_what_was_typed_and_says_where(page, live_server):
    """A too-short password is caught before sending with nothing cleared; a common one is named
    under the password field, with the email kept."""
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_text("10 to 128 characters, not a common password")).to_be_visible()
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_role("button", name="Sign up").click()
    assert page.url.endswith("/accounts/signup/")
    assert page.get_by_label("Password", exact=True).evaluate("input => input.validity.tooShort")
    expect(page.get_by_label("Confirm your password")).to_have_value("short")

    page.get_by_label("Password", exact=True).fill("password1234")
    page.get_by_label("Confirm your password").fill("password1234")
    page.get_by_role("button", name="Sign up").click()
    field = page.locator("div", has=page.get_by_label("Password", exact=True)).last
    expect(field.locator(".errorlist")).to_contain_text("too common")
    confirmation = page.locator("div", has=page.get_by_label("Confirm your password")).last
    expect(confirmation.locator(".errorlist")).to_have_count(0)
    expect(page.get_by_label("Email")).to_have_value("new@example.com")
    assert_accessible(page)


def test_the_account_page_fits_a_small_phone_and_marks_deletion_as_dangerous(browser, live_server):
    """At 320 px a long email wraps inside its card (no sideways scrolling), and the delete buttons
    are drawn in the danger colour, unlike every other action."""
    email = "a.very.long.address.for.a.negotiator@sales-blueprint-example.com"
    learner = make_learner(email)
    context = signed_in_context(browser, live_server.url, learner, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/")
    expect(page.get_by_text(email)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    danger = page.get_by_role("link", name="Delete my account")
    quiet = page.get_by_role("link", name="Download my data")
    colour = "el => getComputedStyle(el).backgroundColor"
    assert danger.evaluate(colour) not in (quiet.evaluate(colour), "rgba(0, 0, 0, 0)")
    assert danger.evaluate(colour) == "rgb(164, 38, 44)"
    assert_accessible(page)
    danger.click()
    button = page.get_by_role("button", name="Delete my account for good")
    assert button.evaluate(colour) == "rgb(164, 38, 44)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_account_settings_read_alike_on_a_phone_in_dark_colours(browser, live_server, settings):
    """Reading time and learning records: each box is labelled, what it means now is the box's
    description, nothing scrolls sideways at 375 px, and axe finds nothing in the dark scheme."""
    settings.XAPI_ENDPOINT = "http://lrs.example/xapi/"
    learner = make_learner()
    options = {"viewport": {"width": 375, "height": 740}, "color_scheme": "dark"}
    page = signed_in_context(browser, live_server.url, learner, **options).new_page()
    page.goto(live_server.url + "/accounts/")
    counting = page.get_by_label("Count my reading time")
    expect(counting).to_be_checked()
    expect(counting).to_have_accessible_description(re.compile(r"^On\. Untick the box"))
    sharing = page.get_by_label("Include the text of my reflections")
    expect(sharing).not_to_be_checked()
    expect(sharing).to_have_accessible_description(re.compile(r"^Unticked, the record says only"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    counting.uncheck()
    page.get_by_role("region", name="Reading time").get_by_role("button", name="Save").click()
    expect(page.get_by_label("Count my reading time")).to_have_accessible_description(
        "Off: nothing is counted or sent."
    )
    assert_accessible(page)
