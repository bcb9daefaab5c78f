import pytest
from playwright.sync_api import expect

from reflections.models import ReflectionVersion
from reflections.services import reflection_save
from testing.axe import assert_accessible
from testing.browser import signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_reads_their_journal_and_restores_an_earlier_version(browser, live_server):
    """The journal and the version history are accessible, and restoring brings old words back."""
    module = import_modules()[0]
    learner = make_learner()
    prompt = module.activities.get(kind="reflection")
    reflection_save(learner=learner, activity=prompt, text="Monday: they wanted a discount.", base_revision=0)
    ReflectionVersion.objects.update(started_at="2026-01-05T09:00:00Z")
    reflection_save(learner=learner, activity=prompt, text="Tuesday: it was about the budget cycle.", base_revision=1)
    context = signed_in_context(browser, live_server.url, learner)
    page = context.new_page()
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("article")).to_contain_text("Tuesday: it was about the budget cycle.")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown").click()
    assert "Tuesday: it was about the budget cycle." in download.value.path().read_text()

    page.get_by_role("link", name="What Negotiation Actually Is").click()
    page.get_by_role("link", name="Earlier versions").click()
    expect(page.get_by_role("heading", name="Version 2 Current")).to_be_visible()
    expect(page.locator("#version-2 ins")).to_have_text("Tuesday: it was about the budget cycle.")
    expect(page.locator("#version-2")).to_contain_text("What changed since version 1")
    assert_accessible(page)
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("textbox", name="Think of a recent negotiation")).to_have_value(
        "Monday: they wanted a discount."
    )
    context.close()
