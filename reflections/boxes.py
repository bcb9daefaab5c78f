"""A reflection box on the module page: what it shows, for the viewer and after a refused save."""

from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import User
from courses.models import Activity

from .limits import REFLECTION_MAX_CHARS
from .models import Reflection
from .selectors import reflections_on


@dataclass(frozen=True)
class ReflectionBox:
    """``text`` and ``base_revision`` go in the form; ``saved`` is the learner's stored reflection."""

    text: str
    base_revision: int
    saved: Reflection | None = None
    error: str = ""
    conflict: Reflection | None = None

    @property
    def max_chars(self) -> int:
        return REFLECTION_MAX_CHARS

    @classmethod
    def of(cls, reflection: Reflection | None) -> "ReflectionBox":
        if reflection is None:
            return cls(text="", base_revision=0)
        return cls(text=reflection.text, base_revision=reflection.revision, saved=reflection)


def reflection_boxes(*, viewer: User, activities: Sequence[Activity]) -> dict[int, ReflectionBox]:
    """The viewer's own box for each reflection activity on a page, in one query (none when signed out)."""
    saved = reflections_on(viewer=viewer, learner=viewer, activities=activities)
    return {activity.pk: ReflectionBox.of(saved.get(activity.pk)) for activity in activities}
