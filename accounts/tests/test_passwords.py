import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Session
from testing.factories import is_signed_in, make_learner, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)


def test_unknown_email_and_wrong_password_get_the_same_answer(client, learner):
    """Sign-in does not tell whether an account exists."""
    unknown = sign_in(client, "nobody@example.com", "whatever password")
    wrong = sign_in(client, learner.email, "whatever password")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_sign_in_ignores_the_case_of_the_email(client, learner, password):
    """An email typed with capitals signs in to the same account."""
    sign_in(client, learner.email.upper(), password)
    assert is_signed_in(client)


def test_sign_out_ends_the_session_on_the_server(client, learner, password):
    """Signing out deletes the session, not just the cookie."""
    sign_in(client, learner.email, password)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_signed_in(client)


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, learner, password):
    """After a password change the learner stays signed in here and is signed out on their other devices."""
    elsewhere = Client()
    sign_in(elsewhere, learner.email, password)
    sign_in(client, learner.email, password)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(elsewhere)
    assert list(Session.objects.filter(user=learner).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_changing_the_password_needs_the_old_one(signed_in_client, learner, password):
    """Without the current password the password stays as it was."""
    response = signed_in_client.post(
        reverse("password_change"),
        {"old_password": "not the password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_password_reset_answers_the_same_for_known_and_unknown_emails(client, learner):
    """Asking for a reset never reveals whether the address has an account; only a real account gets mail."""
    known = client.post(reverse("password_reset"), {"email": learner.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [message.to for message in mail.outbox] == [[learner.email]]


def test_password_reset_sets_a_new_password_and_ends_every_session(client, learner, password):
    """Following the emailed link sets the new password; sessions signed in with the old one end."""
    elsewhere = Client()
    sign_in(elsewhere, learner.email, password)
    client.post(reverse("password_reset"), {"email": learner.email})
    form_url = client.get(reset_link()).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not is_signed_in(elsewhere)
    assert not Session.objects.filter(user=learner).exists()
    sign_in(client, learner.email, NEW_PASSWORD)
    assert is_signed_in(client)


def test_password_reset_lifts_a_sign_in_lockout(client, learner):
    """A learner locked out by wrong passwords can sign in once they have reset the password."""
    for _ in range(5):
        sign_in(client, learner.email, "wrong password")
    client.post(reverse("password_reset"), {"email": learner.email})
    form_url = client.get(reset_link()).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = sign_in(client, learner.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def pause_the_address(client) -> None:
    """Twenty wrong sign-ins from one address across accounts (emails the learner may have
    used, or someone spraying one password): the address is paused."""
    for number in range(20):
        sign_in(client, f"maybe{number}@example.com", "wrong password")


def reset_password(client, email: str) -> None:
    client.post(reverse("password_reset"), {"email": email})
    form_url = client.get(reset_link()).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302


def test_password_reset_lifts_the_address_pause_for_that_account(client, learner):
    """The pause page offers a reset; once done from that address, the new password signs in there."""
    pause_the_address(client)
    paused = sign_in(client, learner.email, "my old password, I think")
    assert paused.status_code == 429
    assert "reset your password" in paused.content.decode()
    reset_password(client, learner.email)
    response = sign_in(client, learner.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_password_reset_does_not_lift_the_address_pause_for_other_accounts(client, learner, password):
    """Resetting one's own password does not let that address go on guessing at other accounts."""
    other = make_learner(password=password)
    pause_the_address(client)
    reset_password(client, learner.email)
    assert sign_in(client, other.email, password).status_code == 429
    assert sign_in(client, "maybe20@example.com", "wrong password").status_code == 429
    assert sign_in(client, learner.email, NEW_PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_pause_only_where_it_was_done(client, learner):
    """The reset is proof for the address it was completed from; another paused address stays paused."""
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    pause_the_address(elsewhere)
    reset_password(client, learner.email)
    assert sign_in(elsewhere, learner.email, NEW_PASSWORD).status_code == 429


@pytest.mark.parametrize("email", ["known@example.com", "unknown@example.com"])
def test_password_reset_requests_for_one_email_are_rate_limited(client, email):
    """After three requests for one address in an hour, a fourth is refused, whether or not it has an account."""
    make_learner(email="known@example.com")
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": email.upper()})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert len(mail.outbox) == (3 if email.startswith("known") else 0)


def test_password_reset_requests_from_one_address_are_rate_limited(client):
    """One network asking for many addresses' resets is refused after ten; another network is not."""
    for number in range(10):
        assert client.post(reverse("password_reset"), {"email": f"n{number}@example.com"}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "n10@example.com"}).status_code == 429
    other = client.post(reverse("password_reset"), {"email": "n10@example.com"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_signing_in_stores_the_user_on_the_session_row(client, learner, password):
    """Each session row names its learner, which is what lets their sessions be ended."""
    sign_in(client, learner.email, password)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.user == learner
    assert session.get_decoded()[SESSION_KEY] == str(learner.pk)
