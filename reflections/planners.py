"""Planners: worksheets of named fields, each field answered and saved exactly like a reflection.

The module file declares a planner's title, intro and fields (``courses.formats.planner``);
they are stored on the activity: the intro (opening with its '## Title' line) in
``text``/``text_html``, the fields in ``items``. A learner's answer to a field is a
``Reflection`` row with ``field`` set, so saving, conflicts, versions, the journal and
the export are the reflections' own.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from courses.formats.planner import planner_title as title_of_intro
from courses.models import Activity
from courses.selectors import active_activity

from .models import PLANNER, REFLECTION, Reflection


@dataclass(frozen=True)
class PlannerField:
    id: str
    label: str


def planner_fields(activity: Activity) -> list[PlannerField]:
    return [PlannerField(id=item["id"], label=item["label"]) for item in activity.items]


def planner_field(activity: Activity, field: str) -> PlannerField:
    """One of the planner's declared fields; 404 for any other name."""
    found = next((f for f in planner_fields(activity) if f.id == field), None)
    if found is None:
        raise Http404
    return found


def planner_title(activity: Activity) -> str:
    """The title: the intro's first line, '## Title' (the module format requires it)."""
    return title_of_intro(activity.text)


def planner_intro_html(activity: Activity) -> str:
    """The intro as rendered at import, without its title: the page shows the title as its own heading.

    The intro opens with its '## Title' line, so its HTML opens with that one <h2>."""
    return activity.text_html.partition("</h2>")[2].strip()


def planner_url(activity: Activity) -> str:
    return reverse("reflections:planner", args=[activity.pk])


def answered_activity(*, activity_id: int, field: str) -> Activity:
    """What a save names: a reflection prompt (no field), or a planner and one of its declared fields.
    Anything else, including a field the planner does not declare, is 404."""
    if not field:
        return active_activity(activity_id=activity_id, kind=REFLECTION)
    activity = active_activity(activity_id=activity_id, kind=PLANNER)
    planner_field(activity, field)
    return activity


def answer_url(activity: Activity, field: str) -> str:
    """Where the learner writes this answer: the prompt on its module page, or the field on its planner page."""
    if not field:
        return activity.get_absolute_url()
    return f"{planner_url(activity)}#{field}"


def in_declared_order(reflections: Iterable[Reflection]) -> list[Reflection]:
    """Reflections in the order given, a planner's answers in the order its fields are declared
    (fields no longer declared last). The sort is stable, so everything else keeps its place."""
    rows = list(reflections)
    first: dict[int, int] = {}
    for index, row in enumerate(rows):
        first.setdefault(row.activity_id, index)

    def key(row: Reflection) -> tuple[int, int]:
        ids = [item["id"] for item in row.activity.items] if row.field else []
        return first[row.activity_id], ids.index(row.field) if row.field in ids else len(ids)

    return sorted(rows, key=key)
