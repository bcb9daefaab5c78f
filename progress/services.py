"""Progress writes are single-statement upserts (INSERT ... ON CONFLICT DO UPDATE),
so concurrent requests never race on a read-then-write."""

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from courses.models import Module

from .models import ModuleProgress
from .selectors import CourseProgress, progress_of_rows, progress_rows

# Re-opening a module within this time of the recorded visit writes nothing: a
# reload or a quick look back costs one read, not a write.
SEEN_RESOLUTION = timedelta(seconds=30)


def module_open(*, learner: User, module: Module, modules: Sequence[Module] = ()) -> CourseProgress:
    """Opening a module marks it in progress and makes it the one to continue.

    Returns the progress in ``modules`` (the module's course, for its page) with this
    visit counted: one read of the learner's rows, which also tells whether the visit
    needs writing (it does not within SEEN_RESOLUTION of the last one).
    """
    modules = modules or [module]
    now = timezone.now()
    rows = progress_rows(learner=learner, modules=modules)
    row = next((row for row in rows if row.module_id == module.pk), None)
    if row is None or now - row.last_seen_at >= SEEN_RESOLUTION:
        _record_visit(learner=learner, module=module, now=now)
        visit = ModuleProgress(module=module, last_seen_at=now, completed_at=row.completed_at if row else None)
        rows = [other for other in rows if other is not row] + [visit]
    return progress_of_rows(modules=modules, rows=rows)


def _record_visit(*, learner: User, module: Module, now) -> None:
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at"],
    )


def module_complete(*, learner: User, module: Module) -> None:
    now = timezone.now()
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now, completed_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at", "completed_at"],
    )


def progress_delete(*, learner: User) -> None:
    ModuleProgress.objects.filter(learner=learner).delete()
