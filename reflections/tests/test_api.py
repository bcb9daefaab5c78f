import json
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from reflections.limits import REFLECTION_MAX_CHARS
from reflections.models import Reflection, ReflectionVersion
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(prompt):
    return f"/api/reflections/{prompt.pk}/"


def save(client, url, text="Some text.", base_revision=0, save_id="a1", **extra):
    body = json.dumps({"text": text, "base_revision": base_revision, "save_id": save_id, **extra})
    return client.post(url, body, content_type="application/json")


def test_save_stores_text_and_returns_the_new_revision(signed_in_client, url, learner):
    """A save based on the current revision is stored and its revision returned."""
    response = save(signed_in_client, url, "Interests, not positions.")
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert response.json()["repeated"] is False
    assert response["Cache-Control"].startswith("max-age=0")
    reflection = Reflection.objects.get(learner=learner)
    assert (reflection.text, reflection.revision) == ("Interests, not positions.", 1)


def test_get_returns_the_learners_current_text(signed_in_client, url):
    """Reading back gives the current text and revision."""
    save(signed_in_client, url, "Read me back.")
    assert signed_in_client.get(url).json() | {"saved_at": None} == {
        "text": "Read me back.",
        "revision": 1,
        "saved_at": None,
        "saved_label": f"Saved at {timezone.localtime():%H:%M}.",
    }


def test_a_save_reply_words_the_time_as_the_page_does(signed_in_client, url, learner):
    """The status the script shows after a save is the server's sentence, the one the page shows after a reload."""
    reply = save(signed_in_client, url, "Same words either way.").json()
    page = signed_in_client.get(Reflection.objects.get(learner=learner).get_absolute_url()).content.decode()
    assert reply["saved_label"].startswith("Saved at ")
    assert f">{reply['saved_label']}</p>" in page


def test_an_older_save_shows_its_date():
    """A save from another day is labelled with its date and time."""
    from reflections.boxes import saved_label

    assert saved_label(datetime(2025, 11, 30, 14, 17, tzinfo=UTC)) == "Saved 30 Nov 2025, 14:17."


def test_stale_save_is_refused_with_409_and_the_current_text(signed_in_client, url, learner):
    """A save based on an old revision changes nothing and returns what is saved."""
    save(signed_in_client, url, "Newer text.", save_id="one")
    response = save(signed_in_client, url, "Older tab's text.", base_revision=0, save_id="two")
    assert response.status_code == 409
    assert response.json()["text"] == "Newer text."
    assert response.json()["revision"] == 1
    assert Reflection.objects.get(learner=learner).text == "Newer text."


def test_retried_save_is_a_no_op(signed_in_client, url, learner):
    """Sending the same save twice (same save_id) makes one revision and one version."""
    first = save(signed_in_client, url, "Once.", save_id="retry-me")
    again = save(signed_in_client, url, "Once.", save_id="retry-me")
    assert again.status_code == 200
    assert again.json() == first.json() | {"repeated": True}
    reflection = Reflection.objects.get(learner=learner)
    assert reflection.revision == 1
    assert ReflectionVersion.objects.filter(reflection=reflection).count() == 1


def test_saves_in_one_sitting_share_a_version(signed_in_client, url, learner):
    """Typing makes no row per save: saves within the version window update one version."""
    for revision in range(5):
        assert (
            save(signed_in_client, url, f"draft {revision}", base_revision=revision, save_id=f"s{revision}").status_code
            == 200
        )
    reflection = Reflection.objects.get(learner=learner)
    assert reflection.revision == 5
    assert list(reflection.versions.values_list("text", flat=True)) == ["draft 4"]


def test_a_later_sitting_starts_a_new_version(signed_in_client, url, learner):
    """A save more than the version window after the last version started keeps the old one."""
    save(signed_in_client, url, "Monday's text.", save_id="mon")
    ReflectionVersion.objects.update(started_at="2026-01-05T09:00:00Z")
    save(signed_in_client, url, "Tuesday's text.", base_revision=1, save_id="tue")
    reflection = Reflection.objects.get(learner=learner)
    assert list(reflection.versions.values_list("text", flat=True)) == ["Tuesday's text.", "Monday's text."]


def test_text_over_the_limit_is_refused_and_changes_nothing(signed_in_client, url, learner):
    """Too-long text gets a 400 naming the limit; the saved text is kept."""
    save(signed_in_client, url, "Keep me.", save_id="k")
    response = save(signed_in_client, url, "x" * (REFLECTION_MAX_CHARS + 1), base_revision=1, save_id="l")
    assert response.status_code == 400
    assert response.json()["error"] == "too_long"
    assert str(REFLECTION_MAX_CHARS) in response.json()["message"].replace(",", "")
    assert Reflection.objects.get(learner=learner).text == "Keep me."


def test_text_at_the_limit_is_saved(signed_in_client, url, learner):
    assert save(signed_in_client, url, "y" * REFLECTION_MAX_CHARS).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe\xfa",
        b"[1, 2]",
        b'{"text": 5, "base_revision": 0}',
        b'{"text": "a", "base_revision": -1}',
        b'{"text": "a", "base_revision": 99999999999999}',
        b'{"text": "a", "base_revision": "one"}',
        b'{"text": "a", "base_revision": true}',
        b'{"text": "a\\u0000b", "base_revision": 0}',
        b'{"text": "a", "base_revision": 0, "save_id": "no spaces allowed"}',
        b'{"base_revision": 0}',
    ],
)
def test_malformed_bodies_get_400_and_write_nothing(signed_in_client, url, body):
    """Malformed JSON, bad types, NUL bytes and invalid revisions are 400s, never 500s."""
    response = signed_in_client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"]
    assert not Reflection.objects.exists()


def test_oversized_body_is_refused_with_413(signed_in_client, url):
    """A body of megabytes is refused before it is read, in JSON."""
    response = save(signed_in_client, url, "x" * 2_000_000)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert not Reflection.objects.exists()


def test_form_encoded_saves_to_the_api_are_refused_in_json(signed_in_client, url, learner):
    """The API speaks JSON only (the page sends nothing else): a form body gets a JSON 415 and writes nothing."""
    response = signed_in_client.post(url, {"text": "From a beacon.", "base_revision": "0", "save_id": "b1"})
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert not Reflection.objects.exists()


def test_signed_out_save_gets_401_json(client, url):
    """Signed out, the API says so in JSON (no redirect the script would follow)."""
    response = save(client, url)
    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"
    assert not Reflection.objects.exists()


def test_unknown_prompt_is_404(signed_in_client):
    assert save(signed_in_client, "/api/reflections/999999/").status_code == 404


def test_another_learner_cannot_read_or_overwrite(client, url, learner, prompt):
    """A second learner sees an empty reflection of their own and their save never touches the first's."""
    client.force_login(learner)
    save(client, url, "Mine alone.")
    intruder = make_learner()
    client.force_login(intruder)
    assert client.get(url).json()["text"] == ""
    assert save(client, url, "Intruder's text.", base_revision=1, save_id="x").status_code == 409
    assert save(client, url, "Intruder's text.", base_revision=0, save_id="x").status_code == 200
    assert Reflection.objects.get(learner=learner).text == "Mine alone."
    assert Reflection.objects.get(learner=intruder).text == "Intruder's text."


def test_owner_fields_in_the_body_are_ignored(client, url, learner):
    """Sending someone else's id as learner or reflection changes nothing of theirs."""
    client.force_login(learner)
    save(client, url, "Original.")
    intruder = make_learner()
    client.force_login(intruder)
    target = Reflection.objects.get(learner=learner)
    save(client, url, "Hijack.", learner=learner.pk, learner_id=learner.pk, id=target.pk, reflection=target.pk)
    assert Reflection.objects.get(pk=target.pk).text == "Original."


def test_save_chained_on_an_unanswered_save_is_accepted(signed_in_client, url, learner):
    """A page closing while a save is on the wire sends its last text naming that save; it lands on top."""
    save(signed_in_client, url, "First sentence.", save_id="in-flight")
    response = save(
        signed_in_client, url, "First sentence. Second.", base_revision=0, save_id="on-close", after_save_id="in-flight"
    )
    assert response.status_code == 200
    assert Reflection.objects.get(learner=learner).text == "First sentence. Second."


def test_save_naming_a_save_that_is_not_the_last_is_a_conflict(signed_in_client, url, learner):
    save(signed_in_client, url, "Tab one.", save_id="one")
    save(signed_in_client, url, "Tab one again.", base_revision=1, save_id="two")
    response = save(signed_in_client, url, "Closing tab.", base_revision=0, save_id="three", after_save_id="one")
    assert response.status_code == 409
    assert Reflection.objects.get(learner=learner).text == "Tab one again."


def test_save_written_for_another_learner_is_refused(signed_in_client, url, learner):
    """A page left open by someone else in this browser cannot save into the signed-in learner's reflection."""
    response = save(signed_in_client, url, "Someone else's words.", learner_id=learner.pk + 1)
    assert response.status_code == 403
    assert response.json()["error"] == "other_learner"
    assert not Reflection.objects.exists()
    assert save(signed_in_client, url, "My words.", learner_id=learner.pk).status_code == 200


@pytest.mark.parametrize("revision", ["²", "1" * 5000, "1.0", " 1"])
def test_odd_digit_strings_are_refused_with_400(signed_in_client, url, revision):
    assert save(signed_in_client, url, "x", base_revision=revision).status_code == 400
    form_url = url.replace("/api/reflections/", "/reflections/")  # the plain form: the same checks
    response = signed_in_client.post(form_url, {"text": "x", "base_revision": revision})
    assert response.status_code == 400
    assert not Reflection.objects.exists()


def test_a_save_while_typing_costs_a_fixed_number_of_statements(
    signed_in_client, url, learner, django_assert_num_queries
):
    """An automatic save inside the learner's rate-limit window and the version's sitting: session, user,
    the rate-limit count (one upsert; expired counts are swept only when a window starts), then in one
    transaction (its start and end are two more) the locked reflection and its current version (two
    reads: cheaper than the ORM's one join), the learner's stored total (the text grew), the version
    and the reflection written."""
    save(signed_in_client, url, "First words.", save_id="s1")
    with django_assert_num_queries(10) as queries:
        response = save(signed_in_client, url, "First words, and more.", base_revision=1, save_id="s2")
    assert response.status_code == 200 and response.json()["revision"] == 2
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements.count("DELETE") == 0 and statements.count("INSERT") == 1  # the count's upsert only
    assert statements.count("UPDATE") == 2
