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
from .models import REFLECTION, Reflection
from .planners import PlannerField, planner_fields
from .selectors import answers_on


def saved_label(when: datetime) -> str:
    """The save status, in one format on the page and in the save API's replies (the script shows
    the server's sentence): the time for a save today, the date and time for an older one."""
    local = timezone.localtime(when)
    if local.date() == timezone.localdate():  # every save's reply says this: "H:i" without parsing a format
        return _("Saved at %(time)s.") % {"time": f"{local:%H:%M}"}
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
        if not (self.saved and self.saved.pk):
            return []
        notes = getattr(self.saved, "notes", None)  # read with the answer by selectors.answers_on
        return list(self.saved.feedback.all()) if notes is None else notes

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


def writing_states(*, viewer: User, activities: Sequence[Activity]) -> dict[int, "ReflectionBox | PlannerCard"]:
    """The viewer's box for each reflection prompt and card for each planner on a page, from one
    query of their answers. Whether they have a coach to share with is asked only when a box holds
    writing: the box offers sharing only then."""
    answers = answers_on(viewer=viewer, learner=viewer, activities=activities)
    prompts = [activity for activity in activities if activity.kind == REFLECTION]
    saved = {prompt.pk: answers[prompt.pk].get("") for prompt in prompts}
    can_share = any(answer and answer.text for answer in saved.values()) and _can_share(viewer, prompts)
    boxes = {pk: ReflectionBox.of(answer, can_share=can_share) for pk, answer in saved.items()}
    cards = {a.pk: planner_card(a, answers[a.pk]) for a in activities if a.kind != REFLECTION}
    return {**boxes, **cards}


@dataclass(frozen=True)
class PlannerCard:
    """A planner on its module page: how many of its fields hold writing (its link and title are
    the same for everyone: reflections/planner_card.html draws them once)."""

    written: int
    of: int


def planner_card(activity: Activity, answers: dict[str, Reflection]) -> PlannerCard:
    """The card for a planner on its module page, from the viewer's answers to its fields."""
    fields = planner_fields(activity)
    written = sum(bool(answers.get(field.id) and answers[field.id].text) for field in fields)
    return PlannerCard(written, len(fields))


@dataclass(frozen=True)
class FieldBox:
    """One field of a planner page: its label and the box it is answered in."""

    field: PlannerField
    box: ReflectionBox


def planner_boxes(
    *, viewer: User, activity: Activity, overrides: dict[str, ReflectionBox] | None = None
) -> list[FieldBox]:
    """The viewer's box for each field of a planner, in one query; ``overrides`` after a refused save."""
    answers = answers_on(viewer=viewer, learner=viewer, activities=[activity])[activity.pk]
    overrides = overrides or {}
    can_share = _can_share(viewer, [activity])
    return [
        FieldBox(field, overrides.get(field.id) or ReflectionBox.of(answers.get(field.id), can_share=can_share))
        for field in planner_fields(activity)
    ]
