"""Cohorts as their facilitators see them: every lookup takes the viewer.

A facilitator sees the learners of the cohorts they facilitate: their progress,
whether and how much they wrote (never the text), and what each learner chose
to share. Nothing of a learner outside those cohorts, nothing after they leave.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from courses.models import Activity, Module
from courses.selectors import course_outline
from practice.selectors import endings_of_coached
from progress.selectors import ReadingMedian, progress_of_coached, reading_medians
from reflections.models import PLANNER, REFLECTION
from reflections.selectors import writing_summaries

from .models import Cohort, Invite, Membership, Role


def coached_by(*, viewer: User, learners: list[int], course_id: int) -> set[int]:
    """Registered with accounts.learners: the learners among these that ``viewer`` facilitates in the course."""
    facilitated = Membership.objects.filter(user=viewer, role=Role.FACILITATOR, cohort__course_id=course_id)
    rows = Membership.objects.filter(
        role=Role.LEARNER, user_id__in=learners, cohort__in=facilitated.values("cohort")
    ).values_list("user_id", flat=True)
    return set(rows)


def has_coach(*, learner: User, course_id: int) -> bool:
    """Whether a facilitator coaches the learner in the course: one written-out read, as the module
    page asks it whenever a box holds writing (the ORM's query with its subquery cost ~0.8 ms to build
    here against 0.05 to run)."""
    quote = connection.ops.quote_name
    membership, cohort = quote(Membership._meta.db_table), quote(Cohort._meta.db_table)
    sql = (
        f"SELECT 1 FROM {membership} AS coach WHERE coach.role = %s AND coach.cohort_id IN ("
        f"SELECT mine.cohort_id FROM {membership} AS mine JOIN {cohort} AS c ON c.id = mine.cohort_id "
        f"WHERE mine.user_id = %s AND mine.role = %s AND c.course_id = %s) LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Role.FACILITATOR.value, learner.pk, Role.LEARNER.value, course_id])
        return cursor.fetchone() is not None


def cohorts_facilitated(*, viewer: User):
    return (
        Cohort.objects.filter(memberships__user=viewer, memberships__role=Role.FACILITATOR)
        .select_related("course")
        .annotate(learners=Count("memberships", filter=Q(memberships__role=Role.LEARNER), distinct=True))
    )


def cohort_for_facilitator(*, viewer: User, cohort_id: int) -> Cohort:
    cohort = cohorts_facilitated(viewer=viewer).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def member_of(*, cohort: Cohort, user_id: int) -> User:
    membership = Membership.objects.select_related("user").filter(cohort=cohort, user_id=user_id, role=Role.LEARNER)
    found = membership.first()
    if found is None:
        raise Http404
    return found.user


def invite_for(*, token: str) -> Invite:
    invite = Invite.objects.select_related("cohort__course").filter(token=token).first()
    if invite is None:
        raise Http404
    return invite


@dataclass
class LearnerRow:
    learner: User
    started: int = 0
    done: int = 0
    activities_done: int = 0
    last_active: datetime | None = None
    # One cell per reflection prompt (and planner field) of the course: (words, shared reflection id or None).
    writing: list[tuple[int, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class WritingColumn:
    activity: Activity
    field: str
    label: str


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    started: int
    done: int


@dataclass(frozen=True)
class DayPoint:
    day: date
    completed: int  # modules completed that day
    total: int  # modules completed so far


@dataclass
class Dashboard:
    cohort: Cohort
    modules: list[Module]
    columns: list[WritingColumn]
    learners: list[LearnerRow]
    module_rows: list[ModuleRow]
    timeline: list[DayPoint]
    activity_total: int


def _columns(activities: list[Activity]) -> list[WritingColumn]:
    columns = []
    for activity in activities:
        number = activity.module.number
        if activity.kind == REFLECTION:
            columns.append(WritingColumn(activity, "", f"M{number} · {activity.key}"))
        elif activity.kind == PLANNER:
            columns += [WritingColumn(activity, item["id"], f"M{number} · {item['id']}") for item in activity.items]
    return columns


def _answers_needed(activity: Activity) -> list[tuple[int, str]] | None:
    """What "done" needs of a written activity: its answer, or every planner field (None: not written)."""
    if activity.kind == REFLECTION:
        return [(activity.pk, "")]
    if activity.kind == PLANNER:
        return [(activity.pk, item["id"]) for item in activity.items]
    return None


def _newest(*times):
    return max((t for t in times if t is not None), default=None)


def dashboard_for(*, viewer: User, cohort: Cohort) -> Dashboard:
    """Everything the facilitator's dashboard shows, in a fixed number of queries whatever the cohort's size."""
    modules = course_outline(course=cohort.course)
    memberships = Membership.objects.filter(cohort=cohort, role=Role.LEARNER)
    learners = list(
        User.objects.filter(pk__in=memberships.values("user_id"))
        .only("email", "display_name")
        .order_by("display_name", "email")
    )
    ids = [learner.pk for learner in learners]
    activities = list(
        Activity.objects.filter(
            module__course=cohort.course, is_active=True, kind__in=[REFLECTION, PLANNER, "scenario"]
        )
        .select_related("module")
        .only("kind", "key", "items", "module__number")
        .order_by("module__number", "position")
    )
    course_id = cohort.course_id
    progress = progress_of_coached(viewer=viewer, learners=ids, modules=modules, course_id=course_id)
    writing = writing_summaries(viewer=viewer, learners=ids, activities=activities, course_id=course_id)
    endings = endings_of_coached(viewer=viewer, learners=ids, activities=activities, course_id=course_id)
    started = Counter(learner_id for learner_id, _, _ in progress.rows)
    done = Counter(learner_id for learner_id, _, completed in progress.rows if completed)
    columns = _columns(activities)
    keys = [(column.activity.pk, column.field) for column in columns]
    needs = [_answers_needed(a) for a in activities]
    scenario_ids = [a.pk for a in activities if a.kind not in (REFLECTION, PLANNER)]
    cells, empty = writing.cells, (0, None)
    rows = []
    for learner in learners:
        pk = learner.pk
        written = [cells.get((pk, activity_id, name), empty) for activity_id, name in keys]
        activities_done = sum(all((pk, *need) in cells for need in group) for group in needs if group is not None)
        activities_done += sum((pk, activity_id) in endings for activity_id in scenario_ids)
        last = _newest(progress.last_seen.get(pk), writing.last_written.get(pk))
        rows.append(LearnerRow(learner, started[pk], done[pk], activities_done, last, written))
    module_started = Counter(module_id for _, module_id, _ in progress.rows)
    module_done = Counter(module_id for _, module_id, completed in progress.rows if completed)
    module_rows = [ModuleRow(m, module_started[m.pk], module_done[m.pk]) for m in modules]
    zone = timezone.get_current_timezone()
    completed = [when.astimezone(zone).date() for _, _, when in progress.rows if when]
    return Dashboard(
        cohort=cohort,
        modules=modules,
        columns=columns,
        learners=rows,
        module_rows=module_rows,
        timeline=timeline(completed, start=cohort.created_at.astimezone(zone).date()),
        activity_total=len(activities),
    )


def timeline(completed: list[date], *, start: date, today: date | None = None) -> list[DayPoint]:
    """Completions per day from the cohort's start (or its first completion) to today: at most 60 days shown."""
    today = today or timezone.localdate()
    first = min([start, *completed])
    first = max(first, today - timedelta(days=59))
    per_day = Counter(completed)
    total = sum(n for day, n in per_day.items() if day < first)
    points = []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        total += per_day[day]
        points.append(DayPoint(day, per_day[day], total))
    return points


def course_wide(*, courses) -> list[dict]:
    """For the owner's console: per course, its cohorts and how many learners are in them."""
    counts = defaultdict(lambda: {"cohorts": 0, "learners": 0})
    rows = Cohort.objects.annotate(learners=Count("memberships", filter=Q(memberships__role=Role.LEARNER)))
    for cohort in rows.values("course_id", "learners"):
        counts[cohort["course_id"]]["cohorts"] += 1
        counts[cohort["course_id"]]["learners"] += cohort["learners"]
    return [{"course": course, **counts[course.pk]} for course in courses]


@dataclass(frozen=True)
class ModuleTime:
    """A module's declared (or computed) minutes beside the median time learners who finished it spent."""

    module: Module
    median: ReadingMedian | None


def module_times(*, viewer: User, courses) -> list[tuple[Any, list[ModuleTime]]]:
    """For the owner's console: each course's modules with their estimate and measured median."""
    outlines = [(course, course_outline(course=course)) for course in courses]
    medians = reading_medians(viewer=viewer, modules=[module for _, modules in outlines for module in modules])
    return [(course, [ModuleTime(m, medians.get(m.pk)) for m in modules]) for course, modules in outlines]


def memberships_export(*, learner: User) -> list[dict]:
    rows = Membership.objects.filter(user=learner).select_related("cohort__course").order_by("joined_at")
    return [
        {"cohort": m.cohort.name, "course": m.cohort.course.slug, "role": m.role, "joined_at": m.joined_at.isoformat()}
        for m in rows
    ]
