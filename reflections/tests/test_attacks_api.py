"""Attacks on the save API, version history, restore and the journal; each must fail."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_save
from reflections.tests.test_attacks import SECRET, XSS_CORPUS, assert_inert
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return make_learner(email="owner@example.com")


@pytest.fixture
def owners_reflection(owner, prompt) -> Reflection:
    reflection_save(learner=owner, activity=prompt, text="first draft " + SECRET, base_revision=0)
    return reflection_save(learner=owner, activity=prompt, text=SECRET, base_revision=1, new_version=True).reflection


def api_url(prompt) -> str:
    return reverse("reflections:api", args=[prompt.pk])


def save(client, prompt, body: dict | bytes | str, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(api_url(prompt), data, content_type="application/json", **extra)


def private_urls(prompt) -> list[str]:
    return [
        api_url(prompt),
        reverse("reflections:history", args=[prompt.pk]),
        reverse("reflections:journal"),
        reverse("reflections:journal-download", args=["md"]),
        reverse("reflections:journal-download", args=["json"]),
    ]


# Reading someone else's writing


def test_another_learner_reads_none_of_the_owners_writing_anywhere(signed_in_client, prompt, owners_reflection):
    """The API, history, journal and both journal downloads show another learner only their own (empty) writing."""
    for url in private_urls(prompt):
        response = signed_in_client.get(url)
        assert response.status_code == 200, url
        assert b"Acme" not in response.content, url
        assert "no-store" in response["Cache-Control"], url
    assert signed_in_client.get(api_url(prompt)).json()["text"] == ""


def test_an_anonymous_visitor_reads_nothing(client, prompt, owners_reflection):
    """Signed out, every private URL refuses (401 JSON for the API, sign-in for pages) and shows no text."""
    for url in private_urls(prompt):
        response = client.get(url)
        assert response.status_code in (302, 401), url
        assert b"Acme" not in response.content, url
    assert client.get(api_url(prompt)).status_code == 401


def test_another_learners_version_cannot_be_restored(signed_in_client, prompt, owners_reflection):
    """Restoring a version id that belongs to someone else is 404 and changes nothing."""
    for version in owners_reflection.versions.all():
        url = reverse("reflections:restore", args=[prompt.pk, version.pk])
        assert signed_in_client.post(url).status_code == 404
    owners_reflection.refresh_from_db()
    assert (owners_reflection.text, owners_reflection.revision) == (SECRET, 2)
    assert not Reflection.objects.exclude(pk=owners_reflection.pk).exists()


def test_an_anonymous_restore_is_sent_to_sign_in(client, prompt, owners_reflection):
    """Signed out, restore redirects to sign in and changes nothing."""
    version = owners_reflection.versions.last()
    response = client.post(reverse("reflections:restore", args=[prompt.pk, version.pk]))
    assert response.status_code == 302
    owners_reflection.refresh_from_db()
    assert owners_reflection.text == SECRET


# Writing someone else's reflection (mass assignment)


def test_owner_and_id_fields_in_an_api_save_are_ignored(signed_in_client, learner, prompt, owner, owners_reflection):
    """A save naming another learner or reflection writes only the sender's own reflection;
    one claiming to be written for another learner (learner_id) is refused outright."""
    extra = {"learner": owner.pk, "owner": owner.pk, "user": owner.pk}
    extra |= {"id": owners_reflection.pk, "pk": owners_reflection.pk, "reflection": owners_reflection.pk}
    claimed = save(signed_in_client, prompt, {"text": "x", "base_revision": 0, "save_id": "s0", "learner_id": owner.pk})
    assert claimed.status_code == 403
    response = save(signed_in_client, prompt, {"text": "mine", "base_revision": 0, "save_id": "s1", **extra})
    assert response.status_code == 200
    owners_reflection.refresh_from_db()
    assert (owners_reflection.text, owners_reflection.revision) == (SECRET, 2)
    assert Reflection.objects.get(learner=learner).text == "mine"


def test_a_save_for_an_unknown_prompt_is_404(signed_in_client, modules):
    """Saving to a prompt that does not exist writes nothing."""
    response = signed_in_client.post(
        "/api/reflections/999999/", json.dumps({"text": "x", "base_revision": 0}), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Reflection.objects.exists()


# Cross-site requests


def test_a_json_save_without_a_csrf_token_is_refused(csrf_client, prompt):
    """A cross-site fetch without X-CSRFToken gets 403 and nothing is written."""
    response = save(csrf_client, prompt, {"text": "planted", "base_revision": 0, "save_id": "x1"})
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_a_page_close_beacon_without_a_csrf_token_is_refused(csrf_client, prompt):
    """The form-encoded close-of-page save, sent cross-site without a token, gets 403 and writes nothing."""
    response = csrf_client.post(api_url(prompt), {"text": "planted", "base_revision": 0, "save_id": "x2"})
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_a_text_plain_cross_site_post_is_refused(csrf_client, prompt):
    """A 'simple' cross-site request (text/plain, no preflight) carrying JSON gets 403."""
    body = json.dumps({"text": "planted", "base_revision": 0})
    response = csrf_client.post(api_url(prompt), body, content_type="text/plain")
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_a_restore_without_a_csrf_token_is_refused(learner, prompt):
    """A cross-site post cannot restore an old version."""
    reflection_save(learner=learner, activity=prompt, text="old", base_revision=0)
    reflection = reflection_save(learner=learner, activity=prompt, text="new", base_revision=1, new_version=True)
    old = reflection.reflection.versions.get(text="old")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(reverse("reflections:restore", args=[prompt.pk, old.pk])).status_code == 403
    assert Reflection.objects.get().text == "new"


def test_a_json_save_with_the_csrf_header_is_accepted(csrf_client, prompt, module_one):
    """With the page's token in X-CSRFToken the save goes through (the refusals above are specific)."""
    token = str(csrf_client.get(module_one.get_absolute_url()).context["csrf_token"])
    response = save(csrf_client, prompt, {"text": "mine", "base_revision": 0, "save_id": "ok1"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert Reflection.objects.get().text == "mine"


# Stored XSS


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_script_in_a_reflection_is_inert_in_history_and_journal(signed_in_client, learner, prompt, payload):
    """The history page and the journal show a reflection's text escaped; nothing in it runs."""
    reflection_save(learner=learner, activity=prompt, text=payload, base_revision=0)
    reflection_save(learner=learner, activity=prompt, text=payload + " again", base_revision=1, new_version=True)
    for url in (reverse("reflections:history", args=[prompt.pk]), reverse("reflections:journal")):
        assert_inert(signed_in_client.get(url), payload if "<" in payload else None)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_script_in_a_reflection_cannot_run_from_the_downloads_or_api(signed_in_client, learner, prompt, payload):
    """Downloads are attachments of non-HTML types the browser may not sniff; the API answers JSON."""
    reflection_save(learner=learner, activity=prompt, text=payload, base_revision=0)
    for fmt, content_type in (("md", "text/markdown"), ("json", "application/json")):
        response = signed_in_client.get(reverse("reflections:journal-download", args=[fmt]))
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    exported = json.loads(signed_in_client.get(reverse("reflections:journal-download", args=["json"])).content)
    assert exported["reflections"][0]["text"] == payload
    api = signed_in_client.get(api_url(prompt))
    assert api["Content-Type"] == "application/json"
    assert api.json()["text"] == payload


# Fuzzed save bodies

FUZZED_JSON = {
    "a megabyte of text": {"text": "x" * 1_000_000, "base_revision": 0},
    "one character over the limit": {"text": "x" * 20_001, "base_revision": 0},
    "NUL bytes": {"text": "before\x00after", "base_revision": 0},
    "negative revision": {"text": "x", "base_revision": -1},
    "huge revision": {"text": "x", "base_revision": 2**31},
    "enormous revision": {"text": "x", "base_revision": 10**400},
    "string revision": {"text": "x", "base_revision": "abc"},
    "float revision": {"text": "x", "base_revision": 1.5},
    "boolean revision": {"text": "x", "base_revision": True},
    "null revision": {"text": "x", "base_revision": None},
    "text not a string": {"text": ["x"], "base_revision": 0},
    "save_id too long": {"text": "x", "base_revision": 0, "save_id": "a" * 65},
    "save_id with markup": {"text": "x", "base_revision": 0, "save_id": "<script>"},
}
RAW_JSON = [
    pytest.param(b'{"text": "caf\xe9", "base_revision": 0}', id="invalid UTF-8"),
    pytest.param(b"text=x&base_revision=0", id="not JSON"),
    pytest.param(b'["x", 0]', id="a JSON array"),
    pytest.param(b'"x"', id="a JSON string"),
    pytest.param(b"", id="empty body"),
    pytest.param(b'{"text": "x", "base_revision": NaN}', id="NaN revision"),
    pytest.param(b'{"text": "\\ud800", "base_revision": 0}', id="lone surrogate escape"),
    pytest.param(b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b', "base_revision": 0}', id="deeply nested"),
]


@pytest.mark.parametrize("body", FUZZED_JSON.values(), ids=FUZZED_JSON.keys())
def test_fuzzed_json_saves_are_refused_and_write_nothing(signed_in_client, prompt, body):
    """Malformed saves get a 4xx JSON answer, never a 500, and nothing is written."""
    response = save(signed_in_client, prompt, body)
    assert 400 <= response.status_code < 500
    assert not Reflection.objects.exists()
    assert not ReflectionVersion.objects.exists()


@pytest.mark.parametrize("raw", RAW_JSON)
def test_raw_garbage_saves_are_refused_and_write_nothing(signed_in_client, prompt, raw):
    """Bodies that are not a valid JSON object get a 4xx, never a 500, and nothing is written."""
    signed_in_client.raise_request_exception = False  # a 500 is an answer to assert on, not an error
    response = signed_in_client.generic("POST", api_url(prompt), raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not Reflection.objects.exists()
