"""Signing up: one account per email, whatever the case and however many arrive at once."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import EmailTaken, user_create
from testing.factories import PASSWORD

TAKEN = "An account with this email already exists. Sign in instead."


@pytest.mark.django_db
def test_an_email_taken_in_another_case_cannot_make_a_second_account():
    """An existing account, whatever the case of its email (one made in the admin, say), refuses a second."""
    User.objects.create(email="Ann.Lee@Example.com")
    with pytest.raises(EmailTaken):
        user_create(email="ann.lee@example.com", password=PASSWORD)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signing_up_with_a_taken_email_shows_the_form_error(client):
    """The sign-up page says the email is taken and creates nothing."""
    user_create(email="ann@example.com", password=PASSWORD)
    data = {"email": "ANN@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert User.objects.count() == 1


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_signup(url: str, email: str, cookie: str, token: str) -> int:
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Cookie": f"csrftoken={cookie}"})
    try:
        with urllib.request.build_opener(NoRedirects).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_one_email_make_one_account_and_no_error(live_server, settings):
    """Twelve sign-ups for one new email (in several cases) sent at once, as a double-click or a
    script would: one account is made, every other request gets the form's answer, none a 500.
    The real password hasher runs, so requests overlap as they do in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    url = live_server.url + reverse("signup")
    with urllib.request.urlopen(url) as page:
        cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    emails = ["race@example.com", "Race@Example.com", "RACE@EXAMPLE.COM"] * 4
    start = threading.Barrier(len(emails))
    statuses: list[int] = []

    def sign_up(email: str) -> None:
        start.wait()
        statuses.append(post_signup(url, email, cookie, token))

    threads = [threading.Thread(target=sign_up, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 11 + [302]
    assert User.objects.filter(email="race@example.com").count() == 1
