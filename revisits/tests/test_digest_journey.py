"""Opting in to the weekly digest in real Chromium, and leaving it from the email without signing in."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import Reflection
from reflections.services import reflection_save
from revisits.digests import digest_send, iso_week
from revisits.models import DigestSubscription
from testing.axe import assert_accessible
from testing.browser import signed_in_context
from testing.factories import import_modules, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opt_in_receive_a_digest_with_the_due_revisit_and_unsubscribe_from_it(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    module = import_modules()[0]
    learner = make_learner()
    prompt = module.activities.get(kind="reflection")
    reflection_save(learner=learner, activity=prompt, text="I gave 10% at once.", base_revision=0)
    Reflection.objects.update(created_at=timezone.now() - timedelta(days=2, hours=1))

    page = signed_in_context(browser, live_server.url, learner).new_page()
    page.goto(live_server.url + "/accounts/")
    page.get_by_role("link", name="The weekly digest").click()
    assert_accessible(page)
    page.get_by_label("Send me the weekly digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("You will get the weekly digest.")).to_be_visible()
    page.goto(live_server.url + module.course.get_absolute_url())
    expect(page.get_by_role("heading", name="Come back to it")).to_be_visible()
    assert_accessible(page)

    assert digest_send(learner_id=learner.pk, week=iso_week())
    (message,) = mail.outbox
    assert "Module 1: What Negotiation Actually Is" in message.body
    link = re.search(r"Stop it \(no sign-in needed\): (\S+)", message.body).group(1)

    stranger = browser.new_context().new_page()  # the email opened anywhere, signed out
    stranger.goto(link)
    assert_accessible(stranger)
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert not DigestSubscription.objects.get(learner=learner).active
