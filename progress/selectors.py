import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from accounts.learners import coached_by, learner_rows
from accounts.models import User
from courses.models import Module

from .models import ModuleProgress, Status


@dataclass(frozen=True)
class CourseProgress:
    statuses: dict[int, Status]
    continue_module: Module | None
    started: bool
    done: int
    total: int
    # The section of the module to continue where the learner was reading (an id on its page), if any.
    continue_at: str = ""


def course_progress(*, learner: User, modules: Sequence[Module]) -> CourseProgress:
    """Each module's status in one course, and where to continue: the module opened last,
    or when that one is done the first module after it not yet done."""
    return progress_of_rows(modules=modules, rows=progress_rows(learner=learner, modules=modules))


def progress_rows(*, learner: User, modules: Sequence[Module]) -> list[ModuleProgress]:
    """The learner's rows for these modules (none for a module not started), in one query."""
    fields = ("module", "last_seen_at", "completed_at", "resume_section", "resume_box")
    return learner_rows(ModuleProgress, learner=learner, among=("module", [m.pk for m in modules]), fields=fields)


def progress_of_rows(*, modules: Sequence[Module], rows: Sequence[ModuleProgress]) -> CourseProgress:
    statuses = {module.pk: Status.NOT_STARTED for module in modules}
    statuses.update({row.module_id: row.status for row in rows})
    last = max(rows, key=lambda row: row.last_seen_at, default=None)
    continue_module = _continue(modules, statuses, last)
    return CourseProgress(
        statuses=statuses,
        continue_module=continue_module,
        started=last is not None,
        done=sum(status == Status.DONE for status in statuses.values()),
        total=len(modules),
        continue_at=last.resume_section if last and continue_module and last.module_id == continue_module.pk else "",
    )


def _continue(modules: Sequence[Module], statuses: dict[int, Status], last: ModuleProgress | None) -> Module | None:
    """The module opened last unless it is done; then the next one not done (from the start if none yet)."""
    ids = [module.pk for module in modules]
    start = ids.index(last.module_id) if last and last.module_id in ids else 0
    for module in list(modules[start:]) + list(modules[:start]):
        if statuses[module.pk] != Status.DONE:
            return module
    return None


def module_status(*, learner: User, module: Module) -> Status:
    row = ModuleProgress.objects.filter(learner=learner, module=module).only("completed_at").first()
    return row.status if row else Status.NOT_STARTED


def progress_export(*, learner: User) -> list[dict[str, Any]]:
    """The learner's progress, for "Download my data": course and module order."""
    rows = (
        ModuleProgress.objects.filter(learner=learner)
        .select_related("module__course")
        .only(
            "started_at",
            "last_seen_at",
            "completed_at",
            "reading_seconds",
            "resume_section",
            "resume_box",
            "module__number",
            "module__title",
            "module__course__slug",
        )
        .order_by("module__course__position", "module__course__title", "module__number")
    )
    return [
        {
            "course": row.module.course.slug,
            "module": {"number": row.module.number, "title": row.module.title},
            "status": row.status.value,
            "started_at": row.started_at,
            "last_seen_at": row.last_seen_at,
            "completed_at": row.completed_at,
            "reading_seconds": row.reading_seconds,
            "reading_at": row.resume_section,
            "writing_in": row.resume_box,
        }
        for row in rows
    ]


@dataclass(frozen=True)
class CoachedProgress:
    """The modules each coached learner opened (and completed when), and when each was last seen."""

    rows: list[tuple[int, int, Any]]  # (learner id, module id, completed_at or None)
    last_seen: dict[int, Any]  # learner id -> the newest last_seen_at


def progress_of_coached(*, viewer: User, learners: list[int], modules: Sequence[Module], course_id: int):
    """Which modules the learners ``viewer`` coaches in the course opened and completed: three queries."""
    coached = coached_by(viewer=viewer, learners=learners, course_id=course_id)
    if not coached:
        return CoachedProgress(rows=[], last_seen={})
    rows = ModuleProgress.objects.filter(learner__in=coached, module__in=[m.pk for m in modules])
    last_seen = rows.values("learner_id").annotate(newest=Max("last_seen_at")).values_list("learner_id", "newest")
    return CoachedProgress(
        rows=list(rows.values_list("learner_id", "module_id", "completed_at")), last_seen=dict(last_seen)
    )


def modules_opened(*, learner: User) -> list[int]:
    """The ids of the modules the learner has opened (their own records: for their own recall practice)."""
    return list(ModuleProgress.objects.filter(learner=learner).values_list("module_id", flat=True))


# Fewer learners than this and the median would be one learner's own time: authors see nothing.
READING_MEDIAN_MIN_LEARNERS = 3


@dataclass(frozen=True)
class ReadingMedian:
    minutes: int  # the median of the learners' active reading time, rounded to the minute
    learners: int  # how many finished learners it is taken over


def reading_medians(*, viewer: User, modules: Sequence[Module]) -> dict[int, ReadingMedian]:
    """The median active reading time of each module over the learners who finished it with some time
    counted (and still let it be counted), for the course owner (staff): one query, no learner named."""
    if not (viewer.is_authenticated and viewer.is_staff):
        return {}
    rows = ModuleProgress.objects.filter(
        module__in=[module.pk for module in modules],
        completed_at__isnull=False,
        reading_seconds__gt=0,
        learner__measure_reading_time=True,
    ).values_list("module_id", "reading_seconds")
    times: dict[int, list[int]] = {}
    for module_id, seconds in rows:
        times.setdefault(module_id, []).append(seconds)
    return {
        module_id: ReadingMedian(minutes=round(statistics.median(seconds) / 60), learners=len(seconds))
        for module_id, seconds in times.items()
        if len(seconds) >= READING_MEDIAN_MIN_LEARNERS
    }
