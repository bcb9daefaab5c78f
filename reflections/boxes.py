"""A reflection box on the module page (and a planner's, one per field): what it shows, for the
viewer and after a refused save."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.learners import has_coach
from accounts.models import User
from courses.models import Activity

from .limits import REFLECTION_MAX_CHARS, shown
from .models import Reflection
from .planners import PlannerField, planner_fields, planner_title, planner_url
from .selectors import planner_answers_on, reflections_on


def saved_label(when: datetime) -> str:
    """The save status, in one format on the page and in the save API's replies (the script shows
    the server's sentence): the time for a save today, the date and time for an older one."""
    local = timezone.localtime(when)
    if local.date() == timezone.localdate():
        return _("Saved at %(time)s.") % {"time": date_format(local, "H:i")}
    return _("Saved %(when)s.") % {"when": date_format(local, "j M Y, H:i")}


@dataclass(frozen=True)
class ReflectionBox:
    """``text`` and ``base_revision`` go in the form; ``saved`` is the learner's stored reflection."""

    text: str
    base_revision: int
    saved: Reflection | None = None
    error: str = ""
    conflict: Reflection | None = None
    can_share: bool = False  # the learner has a coach in this course: the box offers sharing

    @property
    def feedback(self) -> list:
        return list(self.saved.feedback.all()) if self.saved and self.saved.pk else []

    @property
    def saved_label(self) -> str:
        return saved_label(self.saved.updated_at) if self.saved and self.saved.revision else ""

    @property
    def max_chars(self) -> int:
        return REFLECTION_MAX_CHARS

    @property
    def max_chars_shown(self) -> str:
        return shown(REFLECTION_MAX_CHARS)

    @classmethod
    def of(cls, reflection: Reflection | None, *, can_share: bool = False) -> "ReflectionBox":
        if reflection is None:
            return cls(text="", base_revision=0, can_share=can_share)
        return cls(text=reflection.text, base_revision=reflection.revision, saved=reflection, can_share=can_share)


def _can_share(viewer: User, activities: Sequence[Activity]) -> bool:
    return bool(activities) and has_coach(learner=viewer, course_id=activities[0].module.course_id)


def reflection_boxes(*, viewer: User, activities: Sequence[Activity]) -> dict[int, ReflectionBox]:
    """The viewer's own box for each reflection activity on a page: their answers and any feedback
    on them, and whether they have a coach to share with (none when signed out)."""
    saved = reflections_on(viewer=viewer, learner=viewer, activities=activities)
    can_share = _can_share(viewer, activities)
    return {activity.pk: ReflectionBox.of(saved.get(activity.pk), can_share=can_share) for activity in activities}


@dataclass(frozen=True)
class PlannerCard:
    """A planner on its module page: a link to it and how many of its fields hold writing."""

    url: str
    title: str
    written: int
    of: int


def planner_cards(*, viewer: User, activities: Sequence[Activity]) -> dict[int, PlannerCard]:
    """The viewer's card for each planner on a page, in one query."""
    answers = planner_answers_on(viewer=viewer, learner=viewer, activities=activities)
    cards = {}
    for activity in activities:
        fields = planner_fields(activity)
        written = sum(bool(answers[activity.pk].get(f.id) and answers[activity.pk][f.id].text) for f in fields)
        cards[activity.pk] = PlannerCard(planner_url(activity), planner_title(activity), written, len(fields))
    return cards


@dataclass(frozen=True)
class FieldBox:
    """One field of a planner page: its label and the box it is answered in."""

    field: PlannerField
    box: ReflectionBox


def planner_boxes(
    *, viewer: User, activity: Activity, overrides: dict[str, ReflectionBox] | None = None
) -> list[FieldBox]:
    """The viewer's box for each field of a planner, in one query; ``overrides`` after a refused save."""
    answers = planner_answers_on(viewer=viewer, learner=viewer, activities=[activity])[activity.pk]
    overrides = overrides or {}
    can_share = _can_share(viewer, [activity])
    return [
        FieldBox(field, overrides.get(field.id) or ReflectionBox.of(answers.get(field.id), can_share=can_share))
        for field in planner_fields(activity)
    ]
