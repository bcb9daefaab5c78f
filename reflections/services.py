"""Saving reflections: versioned, idempotent, never overwriting newer text."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Prompt

from .models import Reflection, ReflectionVersion

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
    *, learner: User, prompt: Prompt, text: str, base_revision: int, save_id: str = "", new_version: bool = False
) -> SaveResult:
    """Store ``text`` as the learner's answer if it is based on the current revision.

    A save whose ``save_id`` matches the last accepted one is a retry: nothing
    changes. A save based on an older revision raises ReflectionConflict.
    """
    reflection, _ = Reflection.objects.select_for_update().get_or_create(
        learner=learner, prompt=prompt, defaults={"updated_at": timezone.now()}
    )
    if save_id and save_id == reflection.last_save_id:
        return SaveResult(reflection, repeated=True)
    if base_revision != reflection.revision:
        raise ReflectionConflict(reflection)
    now = timezone.now()
    reflection.text = text
    reflection.revision += 1
    reflection.last_save_id = save_id
    reflection.updated_at = now
    reflection.save(update_fields=["text", "revision", "last_save_id", "updated_at"])
    _record_version(reflection, now=now, new_version=new_version)
    return SaveResult(reflection)


def _record_version(reflection: Reflection, *, now, new_version: bool) -> None:
    latest = reflection.versions.order_by("-started_at", "-pk").first()
    if latest and not new_version and now - latest.started_at < VERSION_WINDOW:
        latest.text, latest.revision, latest.saved_at = reflection.text, reflection.revision, now
        latest.save(update_fields=["text", "revision", "saved_at"])
    else:
        ReflectionVersion.objects.create(
            reflection=reflection, text=reflection.text, revision=reflection.revision, started_at=now, saved_at=now
        )


@transaction.atomic
def reflection_restore(*, version: ReflectionVersion) -> Reflection:
    """Make an earlier version the current text again, as a new version; nothing is discarded."""
    reflection = Reflection.objects.select_for_update().get(pk=version.reflection_id)
    return reflection_save(
        learner=reflection.learner,
        prompt=reflection.prompt,
        text=version.text,
        base_revision=reflection.revision,
        new_version=True,
    ).reflection
