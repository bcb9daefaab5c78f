"""The only ways to reach a learner's scenario runs. Every lookup takes the viewer and asks
``accounts.learners.may_read`` whether they may read the learner's records."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import Http404

from accounts.learners import JournalSection, coached_by, may_read
from accounts.models import User
from courses.models import Activity

from .models import Run, RunQuerySet
from .scenarios import Scenario


@dataclass(frozen=True)
class ScenarioState:
    """What the module page says about a scenario: whether the learner has started it, and how many
    of their runs reached an ending."""

    scenario: Scenario
    started: bool = False
    finished: int = 0


def runs_for(*, viewer: User, learner: User) -> RunQuerySet:
    if not may_read(viewer=viewer, learner=learner):
        return Run.objects.none()
    return Run.objects.of_learner(learner)


def latest_run(*, viewer: User, learner: User, activity: Activity) -> Run | None:
    return runs_for(viewer=viewer, learner=learner).filter(activity=activity).order_by("-started_at", "-pk").first()


def run_for(*, viewer: User, learner: User, activity: Activity, run_id: int) -> Run:
    run = runs_for(viewer=viewer, learner=learner).filter(activity=activity, pk=run_id).first()
    if run is None:
        raise Http404
    return run


def learner_run(*, viewer: User, learner: User, run_id: int) -> Run:
    run = runs_for(viewer=viewer, learner=learner).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def scenario_states(*, viewer: User, activities: Sequence[Activity]) -> dict[int, ScenarioState]:
    """The viewer's state of each scenario on a page, in one query of counts (no run's path is read;
    nothing when signed out)."""
    states = {a.pk: ScenarioState(Scenario(a)) for a in activities}
    if not states or not may_read(viewer=viewer, learner=viewer):
        return states
    for activity_id, started, finished in _run_counts(learner=viewer, activity_ids=list(states)):
        states[activity_id] = ScenarioState(states[activity_id].scenario, started > 0, finished)
    return states


def _run_counts(*, learner: User, activity_ids: list[int]) -> list[tuple[int, int, int]]:
    """(activity id, runs, runs ended) of each of these scenarios the learner has played: one indexed
    read written out in SQL, as the module page asks it on every view (the ORM's aggregate cost
    about 0.5 ms to build here; see accounts.learners.learner_rows)."""
    quote, meta = connection.ops.quote_name, Run._meta
    table = quote(meta.db_table)
    activity, owner, ended = (quote(meta.get_field(name).column) for name in ("activity", "learner", "ended_at"))
    marks = ", ".join(["%s"] * len(activity_ids))
    sql = (
        f"SELECT {activity}, COUNT(*), COUNT({ended}) FROM {table} "
        f"WHERE {owner} = %s AND {activity} IN ({marks}) GROUP BY {activity}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner.pk, *activity_ids])
        return cursor.fetchall()


def scenarios_done(*, learner: User, activities: Sequence[Activity]) -> set[int]:
    """A scenario is done once a run of it has reached an ending."""
    rows = Run.objects.filter(learner=learner, activity__in=[a.pk for a in activities], ended_at__isnull=False)
    return set(rows.values_list("activity_id", flat=True).distinct())


def _entry(run: Run) -> dict[str, Any]:
    module = run.activity.module
    return {
        "course": {"slug": module.course.slug, "title": module.course.title},
        "module": {"number": module.number, "title": module.title},
        "scenario": run.activity.text,
        "scenario_id": run.activity.key,
        "started_at": run.started_at.isoformat(),
        "ended_at": run.ended_at.isoformat() if run.ended_at else None,
        "ending": run.ending or None,
        "model_ending": run.best,
        "path": [{"passage": step["passage"], "choice": step.get("choice")} for step in run.steps],
        "shared_with_coaches_at": run.shared_at.isoformat() if run.shared_at else None,
    }


def runs_export(*, learner: User) -> list[dict[str, Any]]:
    """The learner's part of "Download my data": every run with its path, in one query."""
    return [_entry(run) for run in runs_for(viewer=learner, learner=learner).in_course_order()]


def journal_section(*, viewer: User, learner: User) -> JournalSection | None:
    runs = list(runs_for(viewer=viewer, learner=learner).in_course_order())
    if not runs:
        return None
    return JournalSection(template="practice/journal.html", context={"runs": runs})


def endings_of_coached(*, viewer: User, learners: list[int], activities: Sequence[Activity], course_id: int):
    """(learner id, scenario id) for every scenario a learner ``viewer`` coaches has played to an ending."""
    coached = coached_by(viewer=viewer, learners=learners, course_id=course_id)
    if not coached:
        return set()
    rows = Run.objects.filter(learner__in=coached, activity__in=[a.pk for a in activities], ended_at__isnull=False)
    return set(rows.values_list("learner_id", "activity_id").distinct())


def shared_runs_of(*, viewer: User, learner: User, course_id: int) -> RunQuerySet:
    """The runs the learner shares in the course, if ``viewer`` coaches them there (else nothing)."""
    if learner.pk not in coached_by(viewer=viewer, learners=[learner.pk], course_id=course_id):
        return Run.objects.none()
    rows = Run.objects.of_learner(learner).filter(activity__module__course_id=course_id, shared_at__isnull=False)
    return rows.in_course_order()
