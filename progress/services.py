"""Progress writes are single-statement upserts (INSERT ... ON CONFLICT DO UPDATE),
so concurrent requests never race on a read-then-write."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from courses.events import EventKind, learning_event
from courses.models import Module

from .models import ModuleProgress, Status
from .selectors import CourseProgress, progress_of_rows, progress_rows

# Re-opening a module within this time of the recorded visit writes nothing: a
# reload or a quick look back costs one read, not a write.
SEEN_RESOLUTION = timedelta(seconds=30)


@dataclass(frozen=True)
class Visit:
    """A module as its page opens: the course's progress with this visit counted, the module's
    status, and where the learner was reading and writing in it last time."""

    progress: CourseProgress
    status: Status
    section: str = ""
    box: str = ""


def module_open(*, learner: User, module: Module, modules: Sequence[Module] = ()) -> Visit:
    """Opening a module marks it in progress and makes it the one to continue.

    Returns the progress in ``modules`` (the module's course, for its page) with this visit
    counted, and the learner's place: one read of the learner's rows, which also tells whether the
    visit needs writing (it does not within SEEN_RESOLUTION of the last one). A recorded visit is
    a learning event.
    """
    modules = modules or [module]
    now = timezone.now()
    rows = progress_rows(learner=learner, modules=modules)
    row = next((row for row in rows if row.module_id == module.pk), None)
    section, box = (row.resume_section, row.resume_box) if row else ("", "")
    if row is None or now - row.last_seen_at >= SEEN_RESOLUTION:
        _record_visit(learner=learner, module=module, now=now)
        seen = ModuleProgress(
            module=module, last_seen_at=now, completed_at=row.completed_at if row else None, resume_section=section
        )
        rows = [other for other in rows if other is not row] + [seen]
    progress = progress_of_rows(modules=modules, rows=rows)
    return Visit(progress=progress, status=progress.statuses[module.pk], section=section, box=box)


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
    """Mark the module complete (again: the date moves on). Only the first completion is a learning
    event (xAPI's statement, an LTI launch's score)."""
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


def reading_record(*, learner: User, module: Module, seconds: int, section: str, box: str) -> None:
    """Add ``seconds`` of active reading to the learner's module and keep where they are (the
    section and box ids the page sent; empty for the top of the page). One statement: beacons
    from two tabs at once each add their own seconds. Bounds are the caller's (progress/views.py)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(ModuleProgress._meta.db_table)
    names = ("learner", "module", "started_at", "last_seen_at", "reading_seconds", "resume_section", "resume_box")
    learner_id, module_id, started, seen, total, at, writing = (
        connection.ops.quote_name(ModuleProgress._meta.get_field(name).column) for name in names
    )
    sql = (
        f"INSERT INTO {table} ({learner_id}, {module_id}, {started}, {seen}, {total}, {at}, {writing}) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({learner_id}, {module_id}) DO UPDATE SET "
        f"{total} = {table}.{total} + excluded.{total}, {at} = excluded.{at}, {writing} = excluded.{writing}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner.pk, module.pk, now, now, seconds, section, box])


def progress_delete(*, learner: User) -> None:
    ModuleProgress.objects.filter(learner=learner).delete()
