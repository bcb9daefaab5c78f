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
    # (learner, module) -> the module's status for the page; records the visit.
    module_opened: Callable[..., Any]
    # (learner, module) -> the module's status, without recording anything.
    module_status: Callable[..., Any]
    # (learner, modules of one course) -> an object with ``statuses`` {module id: status}, and ``done``
    # and ``total`` (how many of them are done, of how many) for the course's progress bar.
    course_progress: Callable[..., Any]
    # Drawn at the end of a lesson (context: module, status) and under a course's header (context: progress).
    module_template: str
    course_template: str


_tracker: Tracker | None = None


def register_tracker(tracker: Tracker) -> None:
    global _tracker
    _tracker = tracker


def tracker() -> Tracker | None:
    return _tracker
