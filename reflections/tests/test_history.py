"""The history page: distinct labels, the current version marked, each sitting's times,
what changed between versions, and a bounded page however long the history."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from reflections.models import Reflection, ReflectionVersion
from reflections.services import reflection_restore, reflection_save

pytestmark = pytest.mark.django_db


def history(client, prompt, page=None) -> str:
    url = f"/reflections/{prompt.pk}/history/" + (f"?page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def sittings(learner, prompt, *texts):
    """One version per text, each a sitting an hour after the one before (starting 5 Jan 2026, 09:00 UTC)."""
    for index, text in enumerate(texts):
        reflection_save(learner=learner, activity=prompt, text=text, base_revision=index, new_version=index > 0)
        start = datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(hours=index)
        end = start + timedelta(minutes=7)
        ReflectionVersion.objects.filter(revision=index + 1).update(started_at=start, saved_at=end)


def test_versions_carry_distinct_labels_even_after_a_restore(signed_in_client, learner, prompt):
    """Restoring makes a new version with its own number; exactly one is marked current."""
    sittings(learner, prompt, "First.", "Second.")
    first = ReflectionVersion.objects.get(revision=1)
    reflection_restore(learner=learner, activity=prompt, version=first)
    body = history(signed_in_client, prompt)
    labels = re.findall(r"Version (\d+)</h2>|Version (\d+) <span", body)
    assert sorted(int(a or b) for a, b in labels) == [1, 2, 3]
    assert body.count(">Current</span>") == 1
    assert body.index("Version 3") < body.index(">Current</span>") < body.index("Version 2")
    assert "Restore version 1" in body and "Restore version 2" in body and "Restore version 3" not in body


def test_each_sitting_shows_when_it_started_and_ended(signed_in_client, learner, prompt):
    sittings(learner, prompt, "First.")
    assert "5 Jan 2026, 09:00 to 09:07" in history(signed_in_client, prompt)


def test_what_changed_is_shown_word_by_word_and_escaped(signed_in_client, learner, prompt):
    """Words added show as inserted, words removed as deleted; the learner's text never becomes markup."""
    sittings(learner, prompt, "They wanted <b>a discount</b>.", "They wanted budget certainty <b>a discount</b>.")
    body = history(signed_in_client, prompt)
    assert "<ins>budget certainty </ins>" in body or "<ins>budget certainty</ins>" in body
    assert "<b>a discount</b>" not in body and "&lt;b&gt;a discount&lt;/b&gt;" in body
    sittings_changed = body.split("What changed since version 1")[1]
    assert "<ins>" in sittings_changed


def test_removed_words_are_marked_deleted(signed_in_client, learner, prompt):
    sittings(learner, prompt, "Price first, then terms.", "Terms first.")
    assert re.search(r"<del>[^<]*Price[^<]*</del>", history(signed_in_client, prompt))


def test_ten_thousand_versions_make_a_bounded_page(signed_in_client, learner, prompt, django_assert_max_num_queries):
    """Twenty versions a page: the page's size and queries do not grow with the history."""
    reflection_save(learner=learner, activity=prompt, text="v0", base_revision=0)
    reflection = Reflection.objects.get()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    text = "A sitting's worth of notes about interests and positions. " * 4
    ReflectionVersion.objects.bulk_create(
        ReflectionVersion(
            reflection=reflection,
            text=f"{text}{index}",
            revision=index + 2,
            started_at=start + timedelta(minutes=11 * index),
            saved_at=start + timedelta(minutes=11 * index + 5),
        )
        for index in range(10_000)
    )
    with django_assert_max_num_queries(8):
        body = history(signed_in_client, prompt)
    assert len(body.encode()) < 60_000
    assert body.count('class="version"') == 20
    assert "Version 10001" in body and "Version 9982" in body and "Version 9981" not in body
    assert "?page=2" in body and "Page 1 of 501" in body
    with django_assert_max_num_queries(8):
        last = history(signed_in_client, prompt, page=501)
    assert "Version 1<" in last and "?page=500" in last
