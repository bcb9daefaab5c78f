"""In Chromium: a learner follows a link in their learning system, lands signed in on the module,
completes it, and the learning system's gradebook gets the score."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from lti.launches import CLAIM
from testing.axe import assert_accessible
from testing.factories import import_modules

from .platform import CLIENT_ID, registered_platform
from .test_lti import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_launched_from_the_learning_system_completes_the_module_and_is_graded(page, live_server):
    (module,) = import_modules()
    # The platform and the tool on one host (plain HTTP): the cross-site cookies of a real deployment
    # need HTTPS, which the README asks for; the other tests check their attributes.
    platform = registered_platform(host="localhost")
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


@pytest.fixture
def registered():
    platform = registered_platform()
    yield platform
    platform.close()


def test_the_lti_pages_pass_axe_in_both_colour_schemes(browser, live_server, registered):
    """The module picker (with its error), the page handing the choice back, the refusal and the
    'open in a new window' page, as the server renders them, with the site's styles, light and dark."""
    (module,) = import_modules()
    client = Client()
    picker = launch(client, registered, message_type="LtiDeepLinkingRequest")
    token = picker.context["token"]
    login = {"iss": registered.issuer, "login_hint": "42", "client_id": CLIENT_ID}
    pages = {
        "picker": picker,
        "picker error": client.get(reverse("lti:deep-link"), {"token": token}),
        "return": client.get(reverse("lti:deep-link"), {"token": token, "module": [module.pk]}),
        "refused": client.get(reverse("lti:login"), {**login, "iss": "https://unknown.example"}),
        "new window": framed_launch(client, registered, login),
    }
    assert pages["picker error"].status_code == pages["refused"].status_code == 400
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto(live_server.url + "/lti/jwks/")  # same origin, so the page's /static/ styles load
        for name, response in pages.items():
            # The return page's script would post the choice away at once: shown as it is without JS.
            page.set_content(re.sub(r"<script[^>]*></script>", "", response.content.decode()))
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)", name
            assert_accessible(page)
        page.close()


def framed_launch(client, platform, login):
    """A resource launch from inside the platform's frame: answered with the 'new window' page."""
    query = parse_qs(urlsplit(client.get(reverse("lti:login"), login, HTTP_SEC_FETCH_DEST="iframe")["Location"]).query)
    token = platform.sign(platform.claims(nonce=query["nonce"][0]))
    data = {"state": query["state"][0], "id_token": token}
    response = client.post(reverse("lti:launch"), data, HTTP_SEC_FETCH_DEST="iframe")
    assert 'target="_blank"' in response.content.decode()
    return response
