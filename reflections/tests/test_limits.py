"""Text is measured as the browser's textarea measures it for ``maxlength``: UTF-16 code units,
a line break counting as one, on the page and on the server alike."""

import json

import pytest

from reflections.limits import REFLECTION_MAX_CHARS, text_length
from reflections.models import Reflection

pytestmark = pytest.mark.django_db

EMOJI = "\N{HANDSHAKE}"  # outside the Basic Multilingual Plane: two UTF-16 code units
# 100 lines of 199 letters, each ended by the CRLF a browser posts: 20,000 as a textarea counts.
CRLF_TEXT = ("x" * 199 + "\r\n") * 100


def save_json(client, prompt, text):
    body = json.dumps({"text": text, "base_revision": 0, "save_id": "s1"})
    return client.post(f"/api/reflections/{prompt.pk}/", body, content_type="application/json")


def test_length_counts_line_breaks_once_and_utf16_units():
    """CRLF, CR and LF are one each; a character outside the BMP is two, as in JavaScript."""
    assert text_length("a\r\nb\rc\nd") == 7
    assert text_length(EMOJI * 3) == 6
    assert text_length(CRLF_TEXT) == REFLECTION_MAX_CHARS


def test_form_post_at_the_limit_with_browser_line_breaks_is_saved(signed_in_client, prompt, learner):
    """With JavaScript off, 20,000 characters with 100 line breaks (posted as CRLF) are accepted."""
    response = signed_in_client.post(f"/reflections/{prompt.pk}/", {"text": CRLF_TEXT, "base_revision": 0})
    assert response.status_code == 302
    assert Reflection.objects.get(learner=learner).text == CRLF_TEXT.replace("\r\n", "\n")


def test_json_save_normalises_line_breaks(signed_in_client, prompt, learner):
    """A save stores line breaks as the textarea holds them, whichever form they arrived in."""
    assert save_json(signed_in_client, prompt, "one\r\ntwo\rthree").status_code == 200
    assert Reflection.objects.get(learner=learner).text == "one\ntwo\nthree"


def test_emoji_count_as_the_page_counts_them(signed_in_client, prompt, learner):
    """10,000 emoji are 20,000 units, at the limit both on the page and on the server; one more is refused."""
    assert save_json(signed_in_client, prompt, EMOJI * 10_000).status_code == 200
    response = signed_in_client.post(f"/reflections/{prompt.pk}/", {"text": EMOJI * 10_001, "base_revision": 1})
    assert response.status_code == 400
    assert "20,002 characters long; the limit is 20,000" in response.content.decode()
    too_long = save_json(signed_in_client, prompt, EMOJI * 10_001)
    assert (too_long.status_code, too_long.json()["error"]) == (400, "too_long")
    assert Reflection.objects.get(learner=learner).text == EMOJI * 10_000


def test_the_box_renders_maxlength_and_the_limit_readably(signed_in_client, module_one):
    """The textarea carries the limit as maxlength, and the help text shows it as 20,000."""
    page = signed_in_client.get(module_one.get_absolute_url()).content.decode()
    assert f'maxlength="{REFLECTION_MAX_CHARS}"' in page
    assert "Up to 20,000 characters." in page


def test_a_planner_field_has_the_same_limit(signed_in_client, module_one):
    """Planner fields share the box: maxlength and the same count on the server."""
    planner = module_one.activities.get(kind="planner", is_active=True)
    page = signed_in_client.get(f"/planners/{planner.pk}/").content.decode()
    assert page.count(f'maxlength="{REFLECTION_MAX_CHARS}"') == len(planner.items)
    response = signed_in_client.post(f"/reflections/{planner.pk}/opening/", {"text": CRLF_TEXT, "base_revision": 0})
    assert response.status_code == 302
