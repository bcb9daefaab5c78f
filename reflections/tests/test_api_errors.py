"""The JSON API answers JSON on every error, including those Django answers itself."""

import json
from unittest import mock

import pytest
from django.db import DatabaseError, OperationalError

from reflections.models import Reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(prompt):
    return f"/api/reflections/{prompt.pk}/"


@pytest.fixture
def client_seeing_500s(signed_in_client):
    signed_in_client.raise_request_exception = False  # a 500 is an answer to assert on here
    return signed_in_client


def save(client, url, text="Some text."):
    body = json.dumps({"text": text, "base_revision": 0, "save_id": "a1"})
    return client.post(url, body, content_type="application/json")


def assert_json_error(response, status, error):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == error
    assert response.json()["message"]


@pytest.mark.parametrize("failure", [OperationalError("server closed the connection"), DatabaseError("boom")])
def test_a_database_failure_on_save_is_a_json_500(client_seeing_500s, url, failure):
    """A save the database fails on answers 500 in JSON, which the page reads as 'not saved, kept here'."""
    with mock.patch("reflections.api.reflection_save", side_effect=failure):
        response = save(client_seeing_500s, url)
    assert_json_error(response, 500, "server_error")
    assert "kept on this device" in response.json()["message"]


def test_a_database_failure_on_read_is_a_json_500(client_seeing_500s, url):
    with mock.patch("reflections.api.reflection_for", side_effect=OperationalError("no such table")):
        response = client_seeing_500s.get(url)
    assert_json_error(response, 500, "server_error")


def test_an_oversized_json_body_is_a_json_413(signed_in_client, url):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused in JSON, not with Django's HTML 400 page."""
    response = save(signed_in_client, url, "x" * 600_000)
    assert_json_error(response, 413, "too_large")
    assert not Reflection.objects.exists()


def test_an_oversized_form_body_is_a_json_413(signed_in_client, url):
    response = signed_in_client.post(url, {"text": "x" * 600_000, "base_revision": 0})
    assert_json_error(response, 413, "too_large")


def test_an_unknown_prompt_is_a_json_404(signed_in_client, modules):
    assert_json_error(save(signed_in_client, "/api/reflections/999999/"), 404, "not_found")
    assert_json_error(signed_in_client.get("/api/nothing-here/"), 404, "not_found")


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(signed_in_client, url):
    response = signed_in_client.put(url, "{}", content_type="application/json")
    assert_json_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, POST"


def test_a_csrf_failure_is_a_json_403(csrf_client, url):
    assert_json_error(save(csrf_client, url), 403, "forbidden")


def test_pages_outside_the_api_keep_their_html_errors(signed_in_client):
    response = signed_in_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
