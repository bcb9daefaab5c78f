"""Learning events: what a learner did, told to every app that listens (``interchange`` sends them on as xAPI).

The learner apps' services call :func:`learning_event` inside the transaction that records what
happened, so a listener that writes (an outbox row) commits or rolls back with the record itself.
Listeners register in their ``AppConfig.ready()``; with none, an event costs nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from .models import Activity, Module


class EventKind(models.TextChoices):
    MODULE_OPENED = "module-opened"
    MODULE_COMPLETED = "module-completed"
    SCENARIO_ENDED = "scenario-ended"
    REFLECTION_WRITTEN = "reflection-written"


@dataclass(frozen=True)
class LearningEvent:
    kind: EventKind
    learner_id: int
    at: datetime
    module: Module | None = None  # a module's event; else the activity's module
    activity: Activity | None = None
    # The learner's record the event is about (a run, a reflection): a later event on the same
    # record may replace one not yet passed on (a reflection still being typed).
    record: int | None = None
    field: str = ""  # a planner's field
    text: str = ""  # what the learner wrote
    ending: str = ""  # the scenario's ending passage
    best: bool = False  # whether that ending is a model one


Listener = Callable[[LearningEvent], None]
_listeners: list[Listener] = []


def register_listener(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def learning_event(*, kind: EventKind, learner_id: int, **detail: Any) -> None:
    """Tell every listener; call it inside the transaction that records the event. It takes ids and
    the objects the caller has at hand, so that an event no listener wants costs no query."""
    if not _listeners:
        return
    event = LearningEvent(kind=kind, learner_id=learner_id, at=timezone.now(), **detail)
    for listener in _listeners:
        listener(event)
