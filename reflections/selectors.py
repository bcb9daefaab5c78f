"""The only ways to reach a learner's private writing. Every lookup takes the
viewer and asks ``accounts.learners.may_read`` whether they may read the
learner's records; anything else is indistinguishable from "not there"."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.http import Http404

from accounts.learners import Children, coached_by, learner_rows, may_read
from accounts.models import User
from courses.models import Activity

from .models import Feedback, Reflection, ReflectionQuerySet, ReflectionVersion


def reflections_for(*, viewer: User, learner: User) -> ReflectionQuerySet:
    """The learner's reflections that the viewer may read (all of them, or none)."""
    if not may_read(viewer=viewer, learner=learner):
        return Reflection.objects.none()
    return Reflection.objects.of_learner(learner)


def reflection_for(*, viewer: User, learner: User, activity: Activity, field: str = "") -> Reflection | None:
    """The learner's answer to a reflection prompt, or (``field``) to one field of a planner."""
    return reflections_for(viewer=viewer, learner=learner).filter(activity=activity, field=field).first()


def answers_on(*, viewer: User, learner: User, activities: Sequence[Activity]) -> dict[int, dict[str, Reflection]]:
    """The learner's answers on these activities, by activity id and field (blank for a reflection
    prompt's), each with ``notes``, the feedback on it, oldest first: one written-out read of both
    (the module page asks it on every view; the ORM's prefetch cost ~0.5 ms to build here)."""
    answers: dict[int, dict[str, Reflection]] = {activity.pk: {} for activity in activities}
    if not may_read(viewer=viewer, learner=learner):
        return answers
    notes = Children("notes", Feedback, key="reflection", order_by=("created_at", "pk"))
    for reflection in learner_rows(Reflection, learner=learner, among=("activity", list(answers)), children=notes):
        answers[reflection.activity_id][reflection.field] = reflection
    return answers


def journal_for(*, viewer: User, learner: User) -> ReflectionQuerySet:
    """Every reflection of every module, in course, module and activity order, with any feedback on it."""
    return reflections_for(viewer=viewer, learner=learner).in_course_order().prefetch_related("feedback", "follow_ups")


def version_for(
    *, viewer: User, learner: User, activity: Activity, version_id: int, field: str = ""
) -> ReflectionVersion:
    if not may_read(viewer=viewer, learner=learner):
        raise Http404
    try:
        return ReflectionVersion.objects.select_related("reflection").get(
            pk=version_id, reflection__learner=learner, reflection__activity=activity, reflection__field=field
        )
    except ReflectionVersion.DoesNotExist:
        raise Http404 from None


def reflections_done(*, learner: User, activities: Sequence[Activity]) -> set[int]:
    """A reflection is done once it holds some writing."""
    rows = Reflection.objects.filter(learner=learner, activity__in=[a.pk for a in activities], field="")
    return set(rows.exclude(text="").values_list("activity_id", flat=True))


def planners_done(*, learner: User, activities: Sequence[Activity]) -> set[int]:
    """A planner is done once every field it declares holds some writing (one query)."""
    rows = Reflection.objects.filter(learner=learner, activity__in=[a.pk for a in activities]).exclude(field="")
    written: dict[int, set[str]] = {activity.pk: set() for activity in activities}
    for activity_id, field in rows.exclude(text="").values_list("activity_id", "field"):
        written[activity_id].add(field)
    return {a.pk for a in activities if a.items and {item["id"] for item in a.items} <= written[a.pk]}


@dataclass(frozen=True)
class WritingSummaries:
    """What a coach's dashboard knows of the answers without their text."""

    # (learner id, activity id, field) -> (word count, the reflection's id if shared else None)
    cells: dict[tuple[int, int, str], tuple[int, int | None]]
    last_written: dict[int, datetime]  # learner id -> their newest save


def writing_summaries(*, viewer: User, learners: list[int], activities: Sequence[Activity], course_id: int):
    """Word counts and sharing of the answers of the learners ``viewer`` coaches in the course, never
    their text; three queries whatever the number of learners."""
    coached = coached_by(viewer=viewer, learners=learners, course_id=course_id)
    if not coached:
        return WritingSummaries(cells={}, last_written={})
    rows = Reflection.objects.filter(learner__in=coached, activity__in=[a.pk for a in activities]).exclude(text="")
    private = ExpressionWrapper(Q(shared_at__isnull=True), output_field=BooleanField())
    fields = ("pk", "learner_id", "activity_id", "field", "word_count", "private")
    cells = {
        (learner_id, activity_id, field): (words, None if private else pk)
        for pk, learner_id, activity_id, field, words, private in rows.annotate(private=private).values_list(*fields)
    }
    newest = rows.values("learner_id").annotate(newest=Max("updated_at")).values_list("learner_id", "newest")
    return WritingSummaries(cells=cells, last_written=dict(newest))


def shared_reflections_of(*, viewer: User, learner: User, course_id: int) -> ReflectionQuerySet:
    """What the learner shares in the course, if ``viewer`` coaches them there (else nothing)."""
    if learner.pk not in coached_by(viewer=viewer, learners=[learner.pk], course_id=course_id):
        return Reflection.objects.none()
    rows = Reflection.objects.of_learner(learner).filter(activity__module__course_id=course_id, shared_at__isnull=False)
    return rows.in_course_order().prefetch_related("feedback", "follow_ups")


def shared_reflection_for(*, viewer: User, reflection_id: int) -> Reflection:
    """One shared answer, for a coach who coaches its learner in its course; 404 otherwise (also once revoked)."""
    reflection = (
        Reflection.objects.select_related("activity__module__course", "learner")
        .filter(pk=reflection_id, shared_at__isnull=False)
        .first()
    )
    if reflection is None:
        raise Http404
    course_id = reflection.activity.module.course_id
    if reflection.learner_id not in coached_by(viewer=viewer, learners=[reflection.learner_id], course_id=course_id):
        raise Http404
    return reflection
