"""Which revisits are due for a learner: computed from their reflections' dates and the course's days."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from accounts.learners import may_read, written_rows
from accounts.models import User
from courses.models import Activity, Course
from courses.selectors import course_activities
from reflections.models import Reflection
from reflections.selectors import reflections_for

from .models import DigestSubscription, RecallCard, RevisitState


@dataclass(frozen=True)
class Revisit:
    reflection: Reflection
    stage: int  # days after writing
    due_at: datetime
    question: str
    takeaways: list[str]


def due_revisits(*, viewer: User, learner: User, course: Course | None = None, now: datetime | None = None):
    """The learner's due revisits, oldest first: for each reflection only its latest due stage, unless
    that stage was answered or dismissed, or is snoozed. Three queries at most."""
    now = now or timezone.now()
    if course is None:
        rows = reflections_for(viewer=viewer, learner=learner).filter(field="").exclude(text="")
        reflections = list(rows.select_related("activity__module__course"))
    else:
        reflections = _written_in(viewer=viewer, learner=learner, course=course)
    if not reflections:
        return []
    states = {
        (s.reflection_id, s.stage): s for s in written_rows(RevisitState, {"reflection": [r.pk for r in reflections]})
    }
    due = []
    for reflection in reflections:
        course_of = reflection.activity.module.course
        stages = [d for d in course_of.revisit_days if reflection.created_at + timedelta(days=d) <= now]
        if not stages:
            continue
        stage = stages[-1]
        state = states.get((reflection.pk, stage))
        if state and (state.answered_at or state.dismissed_at or (state.snoozed_until and state.snoozed_until > now)):
            continue
        due.append((reflection, stage, course_of.revisit_question))
    if not due:
        return []
    modules = {reflection.activity.module_id for reflection, _, _ in due}
    takeaways = {
        a.module_id: a.items for a in Activity.objects.filter(module__in=modules, kind="takeaways", is_active=True)
    }
    revisits = [
        Revisit(r, stage, r.created_at + timedelta(days=stage), question, takeaways.get(r.activity.module_id, []))
        for r, stage, question in due
    ]
    return sorted(revisits, key=lambda revisit: revisit.due_at)


def _written_in(*, viewer: User, learner: User, course: Course) -> list[Reflection]:
    """The learner's written reflections (not planner fields) in the course, each with its activity,
    module and course from the content cache: one written-out read (the course page asks on every
    view; the ORM's joined query cost about a millisecond to build here)."""
    if not may_read(viewer=viewer, learner=learner):
        return []
    activities = course_activities(course=course)
    where = {"learner": learner.pk, "activity": list(activities), "field": ""}
    written = [reflection for reflection in written_rows(Reflection, where) if reflection.text != ""]
    for reflection in written:
        reflection.activity = activities[reflection.activity_id]
    return written


PANEL_LIMIT = 3


def course_panel(*, viewer: User, course: Course) -> dict | None:
    """The course page's "Come back to it" panel: the oldest due revisits, how many more wait, and how
    many takeaways are due for recall practice."""
    revisits = due_revisits(viewer=viewer, learner=viewer, course=course)
    recall_due = _recall_due(learner=viewer, activities=list(course_activities(course=course)), now=timezone.now())
    if not revisits and not recall_due:
        return None
    return {"revisits": revisits[:PANEL_LIMIT], "more": len(revisits) - PANEL_LIMIT, "recall_due": recall_due}


def _recall_due(*, learner: User, activities: list[int], now: datetime) -> int:
    """How many of the learner's recall cards on these activities are due: one count, written out."""
    if not learner.is_authenticated or not activities:
        return 0
    quote = connection.ops.quote_name
    table, who, activity, due = (
        quote(name) for name in (RecallCard._meta.db_table, "learner_id", "activity_id", "due_at")
    )
    placeholders = ", ".join(["%s"] * len(activities))
    sql = f"SELECT COUNT(*) FROM {table} WHERE {who} = %s AND {due} <= %s AND {activity} IN ({placeholders})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner.pk, connection.ops.adapt_datetimefield_value(now), *activities])
        return cursor.fetchone()[0]


def subscription_of(*, learner: User) -> DigestSubscription | None:
    return DigestSubscription.objects.filter(learner=learner).first()


def revisits_export(*, learner: User) -> list[dict]:
    rows = RevisitState.objects.filter(learner=learner).select_related("reflection__activity")
    subscription = subscription_of(learner=learner)
    return (
        [
            {
                "prompt_id": s.reflection.activity.key,
                "day": s.stage,
                "answered_at": s.answered_at,
                "dismissed_at": s.dismissed_at,
                "snoozed_until": s.snoozed_until,
            }
            for s in rows
        ]
        + ([{"weekly_digest": subscription.active}] if subscription else [])
        + [
            {"recall_takeaway": c.takeaway, "reviews": c.reviews, "due_at": c.due_at, "last_rating": c.last_rating}
            for c in RecallCard.objects.filter(learner=learner).select_related("activity")
        ]
    )
