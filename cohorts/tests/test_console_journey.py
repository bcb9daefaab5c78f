"""The owner's console pages added after the coaching loop, in real Chromium with axe."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from testing.axe import assert_accessible
from testing.browser import signed_in_context
from testing.factories import CONTENT_DIR, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_uploads_previews_publishes_and_removes_an_account(browser, live_server, settings, tmp_path):
    settings.CONTENT_UPLOADS_DIR = tmp_path / "uploads"
    owner = make_learner("owner@example.com")
    User.objects.filter(pk=owner.pk).update(is_staff=True)
    make_learner("leaving@example.com")
    page = signed_in_context(browser, live_server.url, owner).new_page()
    page.set_default_timeout(10_000)

    page.goto(live_server.url + "/console/")
    expect(page.get_by_role("heading", name="Time per module")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Upload content").click()
    assert_accessible(page)
    page.get_by_label("Files").set_input_files(
        [CONTENT_DIR / "01-what-negotiation-actually-is.md", CONTENT_DIR / "01-what-negotiation-actually-is.twee"]
    )
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_text("1 new, 0 changed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: 1 new")).to_be_visible()

    page.goto(live_server.url + "/console/")
    page.get_by_role("link", name="Learners").click()
    page.get_by_label("Find by email").fill("leaving@")
    page.get_by_role("button", name="Find").click()
    assert_accessible(page)
    page.get_by_role("link", name="Remove the account").click()
    assert_accessible(page)
    page.get_by_label("Type the learner's email address to confirm").fill("leaving@example.com")
    page.get_by_role("button", name="Delete the account for good").click()
    expect(
        page.get_by_text("The account of leaving@example.com and everything in it have been deleted.")
    ).to_be_visible()
    assert not User.objects.filter(email="leaving@example.com").exists()
