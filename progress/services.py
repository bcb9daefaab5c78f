"""Progress writes are single-statement upserts (INSERT ... ON CONFLICT DO UPDATE),
so concurrent requests never race on a read-then-write."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.events import EventKind, learning_event
from courses.models import Module

from .models import ModuleProgress, Status

# Re-opening a module within this time of the recorded visit writes nothing: a
# reload or a quick look back costs one read, not a write.
SEEN_RESOLUTION = timedelta(seconds=30)


def module_open(*, learner: User, module: Module) -> Status:
    """Opening a module marks it in progress and makes it the one to continue; returns its status.
    A recorded visit is a learning event (a reload within SEEN_RESOLUTION is not)."""
    now = timezone.now()
    row = ModuleProgress.objects.filter(learner=learner, module=module).only("last_seen_at", "completed_at").first()
    if row is None or now - row.last_seen_at >= SEEN_RESOLUTION:
        _record_visit(learner=learner, module=module, now=now)
    return row.status if row else Status.IN_PROGRESS


@transaction.atomic
def _record_visit(*, learner: User, module: Module, now) -> None:
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at"],
    )
    learning_event(kind=EventKind.MODULE_OPENED, learner_id=learner.pk, module=module)


@transaction.atomic
def module_complete(*, learner: User, module: Module) -> None:
    """Mark the module complete (again: the date moves on). Only the first completion is a learning event."""
    now = timezone.now()
    done_before = ModuleProgress.objects.filter(learner=learner, module=module, completed_at__isnull=False).exists()
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now, completed_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at", "completed_at"],
    )
    if not done_before:
        learning_event(kind=EventKind.MODULE_COMPLETED, learner_id=learner.pk, module=module)


def progress_delete(*, learner: User) -> None:
    ModuleProgress.objects.filter(learner=learner).delete()
