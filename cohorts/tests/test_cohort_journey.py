"""The whole coaching loop in real Chromium: console, invite, join, write, share, feedback, revoke."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from testing.axe import assert_accessible
from testing.browser import module_url, signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Her budget closes in March and her boss signs off every spend."


def test_owner_coach_and_learner_go_round_the_coaching_loop(browser, live_server):
    module = import_modules()[0]
    owner = make_learner("owner@example.com")
    User.objects.filter(pk=owner.pk).update(is_staff=True)
    coach = make_learner("coach@example.com")
    learner = make_learner("learner@example.com")
    base = live_server.url

    owner_page = signed_in_context(browser, base, owner).new_page()
    owner_page.goto(base + "/console/")
    assert_accessible(owner_page)
    owner_page.get_by_role("link", name="New cohort").click()
    owner_page.get_by_label("Name").fill("Spring sales team")
    owner_page.get_by_label("Facilitators' email addresses").fill("coach@example.com")
    assert_accessible(owner_page)
    owner_page.get_by_role("button", name="Create the cohort").click()
    expect(owner_page.get_by_role("heading", level=1)).to_have_text("Spring sales team")
    assert_accessible(owner_page)
    invite = owner_page.get_by_label("Invite link").first.input_value()
    dashboard = owner_page.get_by_role("link", name="/cohorts/").get_attribute("href")

    page = signed_in_context(browser, base, learner).new_page()
    page.goto(invite)
    assert_accessible(page)
    page.get_by_role("button", name="Join the cohort").click()
    expect(page.get_by_text("You joined Spring sales team.")).to_be_visible()
    page.goto(module_url(base, module))
    page.get_by_role("textbox", name="Think of a recent negotiation").fill(WORDS)
    expect(page.locator("#reflection-status")).to_contain_text("Saved")

    coach_page = signed_in_context(browser, base, coach).new_page()
    coach_page.goto(base + dashboard)
    expect(coach_page.get_by_role("cell", name="written, 12 words")).to_be_visible()
    expect(coach_page.get_by_text(WORDS)).to_have_count(0)
    assert_accessible(coach_page)

    page.reload()
    page.get_by_role("button", name="Share with your coach").click()
    expect(page.get_by_text("Shared with your coach.").first).to_be_visible()

    coach_page.reload()
    coach_page.get_by_role("link", name="shared").click()
    expect(coach_page.get_by_text(WORDS)).to_be_visible()
    assert_accessible(coach_page)
    coach_page.get_by_label("Your feedback").fill("Good: you found the interest. Now the CFO's question.")
    coach_page.get_by_role("button", name="Send feedback").click()
    expect(coach_page.get_by_text("Your feedback is saved")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Good: you found the interest.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop sharing with your coach").click()
    expect(page.get_by_text("Private again")).to_be_visible()

    coach_page.reload()
    expect(coach_page.get_by_text(WORDS)).to_have_count(0)
    expect(coach_page.get_by_text("Nothing shared with you yet.")).to_be_visible()
