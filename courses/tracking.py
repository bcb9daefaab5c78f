"""Where a learner is in a course, as the course pages show it, supplied by the app that tracks it.

``courses`` draws the course and module pages but keeps no learner records. The
app that tracks progress registers one :class:`Tracker` (``progress`` does, in its
``AppConfig.ready()``); without one the pages show content only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tracker:
    # (learner, module, modules of its course) -> an object with ``progress`` (what ``course_progress``
    # gives, with this visit counted), the module's ``status``, and where the learner was reading
    # (``section``) and writing (``box``) last time, ids on the page or ""; records the visit.
    module_opened: Callable[..., Any]
    # (learner, module) -> the module's status, without recording anything.
    module_status: Callable[..., Any]
    # (learner, modules of one course) -> an object with ``statuses`` {module id: status}, and ``done``
    # and ``total`` (how many of them are done, of how many) for the course's progress bar.
    course_progress: Callable[..., Any]
    # Drawn at the end of a lesson (context: module, status, visit) and under a course's header (context: progress).
    module_template: str
    course_template: str


_tracker: Tracker | None = None


def register_tracker(tracker: Tracker) -> None:
    global _tracker
    _tracker = tracker


def tracker() -> Tracker | None:
    return _tracker


@dataclass(frozen=True)
class CoursePanel:
    """A part of the course page an app draws for the signed-in learner (revisits due, for one)."""

    template: str
    # (viewer, course) -> the template's context, or None when there is nothing to show.
    load: Callable[..., Any]


_panels: list[CoursePanel] = []


def register_course_panel(panel: CoursePanel) -> None:
    _panels.append(panel)


def course_panels(*, viewer, course) -> list[tuple[str, Any]]:
    """(template, context) of every registered panel with something to show."""
    if not viewer.is_authenticated:
        return []
    loaded = ((panel.template, panel.load(viewer=viewer, course=course)) for panel in _panels)
    return [(template, context) for template, context in loaded if context is not None]
