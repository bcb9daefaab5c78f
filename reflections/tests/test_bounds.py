"""One learner's cost to the server is bounded: saves and restores per minute, stored text,
and earlier versions kept; a restore of the current text writes nothing; a full disk is a 503."""

import errno
import json
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from reflections import limits
from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_restore, reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(prompt):
    return f"/api/reflections/{prompt.pk}/"


def save(client, url, text, base_revision=0, save_id="a1"):
    body = json.dumps({"text": text, "base_revision": base_revision, "save_id": save_id})
    return client.post(url, body, content_type="application/json")


def at(when: datetime):
    """Move the clock to ``when``."""
    return mock.patch("django.utils.timezone.now", return_value=when)


def sittings(learner, prompt, times: list[datetime]) -> Reflection:
    """One save at each time; more than the version window apart, each is a version."""
    for revision, when in enumerate(times):
        with at(when):
            reflection_save(learner=learner, activity=prompt, text=f"text at {when:%d %H:%M}", base_revision=revision)
    return Reflection.objects.get(learner=learner, activity=prompt)


def stored(reflection: Reflection) -> int:
    return sum(len(text) for text in reflection.versions.values_list("text", flat=True))


# Restoring the current text


def test_restoring_the_current_text_is_a_no_op(signed_in_client, learner, prompt):
    """Restoring the version that is already the text adds no version and no revision."""
    reflection = sittings(learner, prompt, [START, START + timedelta(hours=1)])
    current = reflection.current_version
    for _ in range(3):
        assert signed_in_client.post(f"/reflections/{prompt.pk}/history/{current.pk}/restore/").status_code == 302
    reflection.refresh_from_db()
    assert (reflection.revision, reflection.versions.count()) == (2, 2)


def test_restoring_an_earlier_text_still_makes_a_new_version(learner, prompt):
    reflection = sittings(learner, prompt, [START, START + timedelta(hours=1)])
    earlier = reflection.versions.order_by("started_at").first()
    restored = reflection_restore(learner=learner, activity=prompt, version=earlier)
    assert (restored.text, restored.revision, restored.versions.count()) == (earlier.text, 3, 3)


# Saves per minute


def test_the_documented_ceiling_is_well_above_a_typist():
    """An automatic save goes about once a second at most: 120 a minute is twice that."""
    assert limits.SAVES_PER_MINUTE == 120


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr("reflections.services.SAVES_PER_MINUTE", 3)


def test_saves_past_the_ceiling_get_429_json_and_change_nothing(three_a_minute, signed_in_client, url, learner):
    for revision in range(3):
        assert save(signed_in_client, url, f"draft {revision}", revision, f"s{revision}").status_code == 200
    response = save(signed_in_client, url, "one too many", 3, "s3")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["error"] == "too_many_saves" and "kept" in response.json()["message"]
    assert Reflection.objects.get(learner=learner).text == "draft 2"


def test_the_ceiling_is_per_learner(three_a_minute, signed_in_client, url, client):
    for revision in range(4):
        save(signed_in_client, url, f"draft {revision}", revision, f"s{revision}")
    client.force_login(make_learner())
    assert save(client, url, "Someone else's first save.").status_code == 200


def test_the_ceiling_opens_again_after_a_minute(three_a_minute, signed_in_client, url):
    for revision in range(4):
        save(signed_in_client, url, f"draft {revision}", revision, f"s{revision}")
    with at(datetime.now(UTC) + timedelta(seconds=61)):
        assert save(signed_in_client, url, "A minute later.", 3, "s4").status_code == 200


def test_a_plain_form_post_past_the_ceiling_keeps_the_text_in_the_box(three_a_minute, signed_in_client, prompt):
    for revision in range(3):
        signed_in_client.post(f"/reflections/{prompt.pk}/", {"text": f"draft {revision}", "base_revision": revision})
    response = signed_in_client.post(f"/reflections/{prompt.pk}/", {"text": "Mine, kept.", "base_revision": 3})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert "Mine, kept.</textarea>" in body and "saves in a minute" in body


def test_restores_count_against_the_ceiling(three_a_minute, signed_in_client, learner, prompt):
    """Repeated restore posts (1,044 versions in 10 s before) stop at the ceiling."""
    reflection = sittings(learner, prompt, [START, START + timedelta(hours=1)])
    first, second = reflection.versions.order_by("started_at")
    codes = [
        signed_in_client.post(f"/reflections/{prompt.pk}/history/{version.pk}/restore/").status_code
        for version in [first, second, first, second, first]
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert reflection.versions.count() == 5


# Storage per learner


@pytest.fixture
def room_for_100(monkeypatch):
    monkeypatch.setattr("reflections.services.LEARNER_MAX_STORED_CHARS", 100)
    monkeypatch.setattr("reflections.limits.LEARNER_MAX_STORED_CHARS", 100)


def test_the_stored_size_follows_every_kind_of_save(learner, prompt):
    """The count behind the ceiling is what the versions hold, after updates, new sittings and restores."""
    reflection = sittings(learner, prompt, [START, START + timedelta(minutes=1), START + timedelta(hours=1)])
    reflection_restore(learner=learner, activity=prompt, version=reflection.versions.order_by("pk").first())
    reflection.refresh_from_db()
    assert reflection.stored_chars == stored(reflection) > 0


def test_a_save_past_the_storage_ceiling_is_a_clear_413(room_for_100, signed_in_client, url, learner, prompt):
    """Across all the learner's answers and versions; the saved text is kept, never a 500."""
    assert save(signed_in_client, url, "x" * 60).status_code == 200
    Reflection.objects.update(current_version=None)  # the next save starts a new version: 60 more
    response = save(signed_in_client, url, "y" * 60, 1, "s2")
    assert response.status_code == 413
    assert response.json()["error"] == "storage_full"
    assert "100 characters" in response.json()["message"]
    assert Reflection.objects.get(learner=learner).text == "x" * 60


def test_at_the_ceiling_a_shorter_text_is_still_saved(room_for_100, signed_in_client, url):
    assert save(signed_in_client, url, "x" * 100).status_code == 200
    assert save(signed_in_client, url, "x" * 101, 1, "s2").status_code == 413
    assert save(signed_in_client, url, "x" * 40, 1, "s3").status_code == 200


def test_a_plain_form_post_past_the_storage_ceiling_explains_and_keeps_the_text(room_for_100, signed_in_client, prompt):
    response = signed_in_client.post(f"/reflections/{prompt.pk}/", {"text": "z" * 101, "base_revision": 0})
    assert response.status_code == 413
    body = response.content.decode()
    assert "z" * 101 + "</textarea>" in body and "space each learner has" in body
    assert not Reflection.objects.filter(text__startswith="z").exists()


# A full disk


@pytest.mark.parametrize(
    "failure",
    [
        OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
        type("DiskFull", (OperationalError,), {"sqlstate": "53100"})("could not extend file"),
    ],
    ids=["sqlite", "os", "postgresql"],
)
def test_a_full_disk_on_save_is_a_json_503(signed_in_client, url, failure):
    """The page reads 503 as 'not saved yet, kept here' and tries again later."""
    signed_in_client.raise_request_exception = False
    with mock.patch("reflections.api.reflection_save", side_effect=failure):
        response = save(signed_in_client, url, "Written while the disk is full.")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["error"] == "storage_full" and "kept on this device" in response.json()["message"]


# Keeping versions


def test_pruning_keeps_every_recent_sitting_and_one_a_day_before(learner, prompt):
    """90 days of every sitting, then the last of each day; the current version always; idempotent."""
    day_one, day_two, recent = START, START + timedelta(days=1), START + timedelta(days=95)
    reflection = sittings(
        learner,
        prompt,
        [day_one, day_one + timedelta(hours=1), day_one + timedelta(hours=2), day_two, day_two + timedelta(hours=3)]
        + [recent, recent + timedelta(hours=1)],
    )
    with at(START + timedelta(days=100)):
        assert reflection.versions.count() == 7
        call_command("prune_versions", verbosity=0)
        kept = list(reflection.versions.order_by("started_at").values_list("started_at", flat=True))
        assert kept == [day_one + timedelta(hours=2), day_two + timedelta(hours=3), recent, recent + timedelta(hours=1)]
        call_command("prune_versions", verbosity=0)
        assert reflection.versions.count() == 4
    reflection.refresh_from_db()
    assert reflection.stored_chars == stored(reflection)
    assert reflection.current_version.started_at == recent + timedelta(hours=1)


def test_pruning_never_deletes_the_current_version(learner, prompt):
    """Even when it is old and shares its day with later-saved versions of nothing newer."""
    reflection = sittings(learner, prompt, [START, START + timedelta(hours=1)])
    current = reflection.current_version
    ReflectionVersion.objects.filter(pk=current.pk).update(saved_at=START + timedelta(minutes=30))
    with at(START + timedelta(days=365)):
        call_command("prune_versions", verbosity=0)
    assert list(reflection.versions.all()) == [current]
    assert Reflection.objects.get(pk=reflection.pk).text == current.text
