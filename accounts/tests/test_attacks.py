"""Attacks on accounts; each one must fail."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Session, User
from progress.services import module_complete
from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_save
from testing.factories import is_signed_in, make_learner, sign_in

pytestmark = pytest.mark.django_db

LOCKED = "Too many attempts"


def write(learner, module, text: str) -> Reflection:
    prompt = module.activities.get(kind="reflection", is_active=True)
    return reflection_save(learner=learner, activity=prompt, text=text, base_revision=0).reflection


# Guessing passwords


def test_fifty_wrong_passwords_on_one_account_are_throttled(client, learner):
    """After five wrong passwords every further try on the account is refused with a clear message."""
    statuses = [sign_in(client, learner.email, f"guess number {n}").status_code for n in range(50)]
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    response = sign_in(client, learner.email, "guess number 51")
    assert LOCKED in response.content.decode()
    assert "Wait 15 minutes" in response.content.decode()


def test_a_throttled_sign_in_does_not_reveal_a_right_password(client, learner, password):
    """While locked, the right password gets exactly the answer a wrong one gets, and does not sign in."""
    for n in range(5):
        sign_in(client, learner.email, f"guess number {n}")
    wrong = sign_in(client, learner.email, "still guessing")
    right = sign_in(client, learner.email, password)
    assert right.status_code == wrong.status_code == 429
    assert right.content == wrong.content
    assert not is_signed_in(client)


def test_changing_the_emails_case_or_browser_does_not_reset_the_count(client, learner):
    """Spelling the email differently or changing the User-Agent still counts against the same account."""
    variants = [learner.email, learner.email.upper(), f"  {learner.email} ", learner.email.title(), learner.email]
    statuses = [
        sign_in(client, email, "wrong password", HTTP_USER_AGENT=f"Browser/{n}").status_code
        for n, email in enumerate(variants)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_one_password_across_many_accounts_from_one_address_is_throttled(client, password):
    """Password spraying: after 20 failures across accounts the address is refused, even a right password."""
    victims = [make_learner(password="a different password") for _ in range(20)]
    statuses = [sign_in(client, victim.email, password).status_code for victim in victims]
    assert statuses[:19] == [200] * 19
    assert statuses[19] == 429
    mine = make_learner(password=password)
    response = sign_in(client, mine.email, password)
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_failures(client, password):
    """An attacker's good sign-in between guesses does not wipe the count of their guesses at others."""
    mine = make_learner(password=password)
    victim = make_learner(password="the victims password")
    for _ in range(4):
        sign_in(client, victim.email, "guess")
    sign_in(client, mine.email, password)
    client.post(reverse("logout"))
    assert sign_in(client, victim.email, "guess").status_code == 429


def test_a_lockout_does_not_lock_the_learner_out_from_elsewhere(client, learner, password):
    """Locking is per account and address, so a stranger's guesses cannot lock a learner out of their own network."""
    for _ in range(5):
        sign_in(client, learner.email, "wrong password", REMOTE_ADDR="198.51.100.9")
    own = Client(REMOTE_ADDR="203.0.113.5")
    assert sign_in(own, learner.email, password).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, learner):
    """With no proxy configured, X-Forwarded-For is ignored; each forged address still counts as the same client."""
    statuses = [
        sign_in(client, learner.email, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(6)
    ]
    assert statuses[4:] == [429, 429]


@override_settings(ACCOUNTS_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_for_entry_does_not_escape_the_lockout(client, learner):
    """Behind one proxy, the address the proxy saw counts; entries the client forged before it do not."""
    statuses = [
        sign_in(
            client, learner.email, "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.50"
        ).status_code
        for n in range(6)
    ]
    assert statuses[4:] == [429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}


def test_guessing_the_password_on_the_delete_page_is_throttled(signed_in_client, learner, password):
    """A stolen session cannot guess the password through account deletion: it is throttled like sign-in."""
    delete = reverse("account_delete")
    statuses = [signed_in_client.post(delete, {"password": f"guess {n}"}).status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert signed_in_client.post(delete, {"password": password}).status_code == 429
    assert User.objects.filter(pk=learner.pk).exists()


def test_guessing_the_password_on_the_password_change_page_is_throttled(signed_in_client, learner, password):
    """A stolen session cannot guess the old password through password change either."""
    new = "an attackers chosen password"
    url = reverse("password_change")
    for n in range(4):
        response = signed_in_client.post(
            url, {"old_password": f"guess {n}", "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200
    data = {"old_password": password, "new_password1": new, "new_password2": new}
    assert signed_in_client.post(url, {**data, "old_password": "guess 5"}).status_code == 429
    assert signed_in_client.post(url, data).status_code == 429
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_probing_which_emails_have_accounts_through_sign_up_is_rate_limited(client):
    """Sign-up tells whether an email is taken, so one address may try it only 20 times an hour."""
    make_learner(email="taken@example.com")
    data = {"email": "taken@example.com", "password1": "x", "password2": "x"}
    statuses = [client.post(reverse("signup"), data).status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]
    assert "Too many requests" in client.post(reverse("signup"), data).content.decode()


# Sessions


def test_session_fixation_a_planted_session_key_is_replaced_at_sign_in(client, learner, password):
    """A session key set before sign-in is not the one that is signed in, and stops existing."""
    planted = client.session
    planted["planted"] = True
    planted.save()
    before = planted.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    sign_in(client, learner.email, password)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert not is_signed_in(attacker)


def test_a_session_cookie_reused_after_sign_out_is_not_signed_in(client, learner, password):
    """A copy of the session cookie taken before sign-out is worthless after it."""
    sign_in(client, learner.email, password)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = thief.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_needs_a_post(signed_in_client):
    """A link or image pointing at the sign-out URL cannot sign the learner out."""
    assert signed_in_client.get(reverse("logout")).status_code == 405
    assert is_signed_in(signed_in_client)


# Cross-site requests


def test_deleting_an_account_without_a_csrf_token_is_refused(learner, password):
    """A cross-site form that posts the password to the delete URL gets 403 and deletes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("account_delete"), {"password": password})
    assert response.status_code == 403
    assert User.objects.filter(pk=learner.pk).exists()


def test_changing_the_password_without_a_csrf_token_is_refused(learner, password):
    """A cross-site password change gets 403 and the password stays."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    new = "an attackers chosen password"
    data = {"old_password": password, "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), data).status_code == 403
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_anonymous_visitor_cannot_delete_or_download(client, learner):
    """Without signing in, deletion and the export send the visitor to sign in, and nothing changes."""
    assert client.post(reverse("account_delete"), {"password": "x"}).status_code == 302
    assert client.get(reverse("account_data")).status_code == 302
    assert User.objects.filter(pk=learner.pk).exists()


# The learner's data


def test_the_export_holds_nothing_of_another_learner(signed_in_client, learner, modules, module_one):
    """A learner's download contains their own writing and progress and none of anyone else's."""
    other = make_learner(email="someone.else@example.com")
    write(other, module_one, "THE OTHER LEARNER'S SECRET")
    module_complete(learner=other, module=module_one)
    Client().post(reverse("login"), {"username": other.email, "password": "wrong"})
    write(learner, module_one, "mine")

    body = signed_in_client.get(reverse("account_data")).content.decode()
    assert "mine" in body
    assert "SECRET" not in body
    assert other.email not in body
    assert '"progress": []' in body


def test_deleting_the_account_leaves_no_row_of_the_learner_anywhere(client, learner, password, module_one):
    """After deletion no table has a row pointing at the learner, and none of their sessions or sign-ins remain."""
    reflection = write(learner, module_one, "something private")
    module_complete(learner=learner, module=module_one)
    sign_in(Client(), learner.email, "one wrong try", REMOTE_ADDR="198.51.100.20")
    sign_in(Client(), learner.email, password)
    sign_in(client, learner.email, password)
    assert Session.objects.filter(user=learner).count() == 2
    assert AccessAttempt.objects.filter(username=learner.email).exists()
    assert AccessLog.objects.filter(username=learner.email).count() == 2

    response = client.post(reverse("account_delete"), {"password": password})

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Reflection.objects.filter(pk=reflection.pk).exists()
    assert not ReflectionVersion.objects.filter(text="something private").exists()
    assert not Session.objects.exists()
    assert not AccessAttempt.objects.filter(username=learner.email).exists()
    assert not AccessLog.objects.filter(username=learner.email).exists()
    assert _rows_pointing_at(learner) == {}


def _rows_pointing_at(user: User) -> dict[str, int]:
    """Every row in any table with a foreign key to the user's id (through tables included)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                count = model._base_manager.filter(**{field.attname: user.pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found
