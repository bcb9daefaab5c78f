import json

import pytest
from playwright.sync_api import expect

from accounts.models import User
from reflections.models import Reflection
from reflections.services import reflection_save
from testing.axe import assert_accessible
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
