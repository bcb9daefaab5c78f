"""In Chromium: a learner follows a link in their learning system, lands signed in on the module,
completes it, and the learning system's gradebook gets the score."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lti.launches import CLAIM
from lti.services import platform_add, tool_key_generate
from testing.factories import import_modules

from .platform import CLIENT_ID, DEPLOYMENT_ID, LocalPlatform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_launched_from_the_learning_system_completes_the_module_and_is_graded(page, live_server):
    (module,) = import_modules()
    # The platform and the tool on one host (plain HTTP): the cross-site cookies of a real deployment
    # need HTTPS, which the README asks for; the other tests check their attributes.
    platform = LocalPlatform(host="localhost")
    platform_add(
        issuer=platform.issuer,
        client_id=CLIENT_ID,
        deployment_ids=[DEPLOYMENT_ID],
        auth_login_url=platform.url + "/auth",
        auth_token_url=platform.url + "/token",
        key_set_url=platform.url + "/jwks",
    )
    platform.trust_tool_key(tool_key_generate())
    login = {"iss": platform.issuer, "login_hint": "42", "client_id": CLIENT_ID, "target_link_uri": live_server.url}
    platform.tool_login_link = f"{live_server.url}/lti/login/?{urlencode(login)}"
    platform.launch_extra = {CLAIM + "custom": {"module": f"{module.course.slug}/{module.slug}"}}
    try:
        page.goto(platform.url + "/course")
        page.get_by_role("link", name="Module 1 (external tool)").click()
        page.wait_for_url(live_server.url + module.get_absolute_url())
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text(module.title)
        page.get_by_role("button", name="Complete").first.click()
        expect(page.get_by_text("Module 1 is complete")).to_be_visible()
        assert platform.scores == []  # sent from the queue, not while the learner waited
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        (score,) = platform.scores
        assert score["scoreGiven"] == 1.0 and score["gradingProgress"] == "FullyGraded"
    finally:
        platform.close()
