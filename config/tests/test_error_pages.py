"""Errors land on pages in the site's layout that say what happened and lead back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults
from playwright.sync_api import expect

from testing.browser import signed_in_context
from testing.factories import import_modules, make_learner

BRAND = "The Sales Blueprint System"


def in_layout(body: str) -> bool:
    return (
        f'class="brand" href="/"><span class="brand-mark" aria-hidden="true">SB</span>{BRAND}</a>' in body
        and 'href="/static/favicon.svg"' in body
    )


@pytest.mark.django_db
def test_not_found_is_branded_for_a_signed_in_learner(signed_in_client):
    response = signed_in_client.get("/modules/old-slug/")
    body = response.content.decode()
    assert response.status_code == 404
    assert in_layout(body) and "This page is not here" in body
    assert "Back to the course" in body and 'href="/journal/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (lambda request: defaults.permission_denied(request, PermissionDenied()), 403, "not yours to open"),
        (defaults.server_error, 500, "Something went wrong on our side"),
    ],
)
def test_forbidden_and_server_error_are_branded(view, status, heading):
    request = RequestFactory().get("/somewhere/")
    response = view(request)
    body = response.content.decode()
    assert response.status_code == status
    assert in_layout(body) and heading in body and "Back to the course" in body


@pytest.mark.django_db
def test_rate_limited_sign_up_is_branded(client, settings):
    settings.ACCOUNTS_RATE_SIGNUP = (0, 3600)
    response = client.post("/accounts/signup/", {"email": "a@example.com"})
    body = response.content.decode()
    assert response.status_code == 429
    assert in_layout(body) and "Too many requests" in body and "Back to the course" in body


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/static/favicon.svg")
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg")
    assert body.startswith(b"<svg")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_old_address_shows_a_branded_page_and_no_request_fails(browser, live_server):
    """A signed-in learner following an old link sees the site, a way back and no failed request (favicon too)."""
    import_modules()
    context = signed_in_context(browser, live_server.url, make_learner())
    page = context.new_page()
    failed = []
    page.on("response", lambda response: response.status == 404 and failed.append(response.url))
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/modules/old-slug/")
    expect(page.get_by_role("heading", name="This page is not here")).to_be_visible()
    page.get_by_role("link", name="Back to the course").click()
    expect(page).to_have_url(live_server.url + "/")
    page.wait_for_timeout(300)
    assert failed == [live_server.url + "/modules/old-slug/"]
    context.close()
