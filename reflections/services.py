"""Saving reflections: versioned, idempotent, never overwriting newer text."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Activity

from .models import Feedback, Reflection, ReflectionVersion

# Saves within this window of the latest version's start update that version;
# later saves (a new sitting) start a new one. So typing makes no row per save.
VERSION_WINDOW = timedelta(minutes=10)


class ReflectionConflict(Exception):
    """The save was based on a revision that is no longer current."""

    def __init__(self, current: Reflection) -> None:
        super().__init__("stale revision")
        self.current = current


@dataclass(frozen=True)
class SaveResult:
    reflection: Reflection
    repeated: bool = False


@transaction.atomic
def reflection_save(
    *,
    learner: User,
    activity: Activity,
    text: str,
    base_revision: int,
    field: str = "",
    save_id: str = "",
    after_save_id: str = "",
    new_version: bool = False,
) -> SaveResult:
    """Store ``text`` as the learner's answer if it is based on the current revision.

    The answer is to a reflection prompt, or with ``field`` to that field of a
    planner (the caller has checked the planner declares it); each is kept apart.

    A save whose ``save_id`` matches the last accepted one is a retry: nothing
    changes. A save based on an older revision raises ReflectionConflict, unless
    it names (``after_save_id``) the save that made the current revision from its
    base: the page sent it on closing while that save was still on the wire.
    """
    reflection = _locked_reflection(learner=learner, activity=activity, field=field)
    if save_id and save_id == reflection.last_save_id:
        return SaveResult(reflection, repeated=True)
    if base_revision != reflection.revision and not _follows(reflection, base_revision, after_save_id):
        raise ReflectionConflict(reflection)
    now = timezone.now()
    reflection.text = text
    reflection.word_count = word_count(text)
    reflection.revision += 1
    reflection.last_save_id = save_id
    reflection.updated_at = now
    _record_version(reflection, now=now, new_version=new_version)
    reflection.save(update_fields=["text", "word_count", "revision", "last_save_id", "updated_at", "current_version"])
    return SaveResult(reflection)


def word_count(text: str) -> int:
    return len(text.split())


def _follows(reflection: Reflection, base_revision: int, after_save_id: str) -> bool:
    return bool(after_save_id) and after_save_id == reflection.last_save_id and base_revision == reflection.revision - 1


def _locked_reflection(*, learner: User, activity: Activity, field: str) -> Reflection:
    """The learner's reflection with its current version, locked for this transaction; created if new."""
    rows = Reflection.objects.select_related("current_version").select_for_update(of=("self",))
    reflection = rows.filter(learner=learner, activity=activity, field=field).first()
    if reflection is not None:
        return reflection
    try:
        with transaction.atomic():  # a concurrent first save may create it first
            return Reflection.objects.create(learner=learner, activity=activity, field=field, updated_at=timezone.now())
    except IntegrityError:
        return rows.get(learner=learner, activity=activity, field=field)


def _record_version(reflection: Reflection, *, now, new_version: bool) -> None:
    current = reflection.current_version
    if current and not new_version and now - current.started_at < VERSION_WINDOW:
        ReflectionVersion.objects.filter(pk=current.pk).update(
            text=reflection.text, revision=reflection.revision, saved_at=now
        )
    else:
        reflection.current_version = ReflectionVersion.objects.create(
            reflection=reflection, text=reflection.text, revision=reflection.revision, started_at=now, saved_at=now
        )


@transaction.atomic
def reflection_restore(*, learner: User, activity: Activity, version: ReflectionVersion, field: str = "") -> Reflection:
    """Make an earlier version the current text again, as a new version; nothing is discarded."""
    reflection = _locked_reflection(learner=learner, activity=activity, field=field)
    return reflection_save(
        learner=learner,
        activity=activity,
        field=field,
        text=version.text,
        base_revision=reflection.revision,
        new_version=True,
    ).reflection


def reflections_delete(*, learner: User) -> None:
    """All the learner's reflections and their versions (the account is being deleted)."""
    Reflection.objects.filter(learner=learner).delete()


def reflection_share(*, reflection: Reflection, shared: bool) -> Reflection:
    """Share the learner's answer with the coaches of their cohorts, or make it private again (at once)."""
    reflection.shared_at = timezone.now() if shared else None
    Reflection.objects.filter(pk=reflection.pk).update(shared_at=reflection.shared_at)
    return reflection


def feedback_add(*, author: User, reflection: Reflection, text: str) -> Feedback:
    """A coach's note on a shared answer (the caller found it through ``selectors.shared_reflection_for``)."""
    name = author.display_name or author.email
    return Feedback.objects.create(reflection=reflection, author=author, author_name=name, text=text)
