"""The authentication backend that reads each request's user: the same user as Django's, or none."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse

from accounts.backends import FORMER_PATH, PATH, UserBackend
from accounts.sessions import SessionStore
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


def field_values(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields}


def test_it_reads_the_same_user_as_djangos_backend():
    learner = make_learner()
    make_learner()  # another row, so the read must pick by id
    ours, djangos = UserBackend().get_user(learner.pk), ModelBackend().get_user(learner.pk)
    assert type(ours) is type(djangos)
    assert field_values(ours) == field_values(djangos)
    assert ours._state.adding is False and ours._state.db == "default"


@pytest.mark.parametrize("user_id", ["not a number", None, 10**9])
def test_an_unknown_or_malformed_id_is_no_one(user_id):
    make_learner()
    assert UserBackend().get_user(user_id) is None


def test_an_inactive_user_is_no_one():
    learner = make_learner()
    learner.is_active = False
    learner.save()
    assert UserBackend().get_user(learner.pk) is None


def signed_in_session(user, backend: str) -> str:
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_a_session_signed_in_through_djangos_backend_stays_signed_in(client):
    """Sessions from before accounts.backends name Django's ModelBackend, which is no longer listed."""
    assert FORMER_PATH not in settings.AUTHENTICATION_BACKENDS and PATH in settings.AUTHENTICATION_BACKENDS
    learner = make_learner()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(learner, FORMER_PATH)
    response = client.get(reverse("account"))
    assert response.status_code == 200 and response.wsgi_request.user == learner


def test_a_session_whose_password_changed_since_is_signed_out(client):
    learner = make_learner()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(learner, PATH)
    learner.set_password("a different password 123")
    learner.save()
    response = client.get(reverse("account"))
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_a_session_naming_an_unlisted_backend_is_signed_out(client):
    learner = make_learner()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(learner, "some.other.Backend")
    assert client.get(reverse("account")).status_code == 302
