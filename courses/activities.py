"""Activity kinds: how each kind of activity is shown, and what its learner records say.

``courses`` knows only content. An app that keeps learner records for a kind
(``reflections`` for ``reflection``, later ``practice`` for scenarios) registers
the kind in its ``AppConfig.ready()``: the template that draws the activity, a
function that loads the viewer's records for many activities in one query, and
what "done" means. ``courses`` never imports those apps; it asks this registry.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Activity

# (viewer, activities of this kind) -> {activity id: the viewer's state}, in one query. Kinds that
# register the same loader get one call for all their activities on a page.
StatesLoader = Callable[..., dict[int, Any]]
# (learner, activities of this kind) -> ids of the activities the learner has done, in one query.
DoneLoader = Callable[..., set[int]]


@dataclass(frozen=True)
class ActivityKind:
    name: str
    template: str
    load_states: StatesLoader | None = None
    load_done: DoneLoader | None = None


@dataclass(frozen=True)
class ActivityOnPage:
    """An activity as its page places it, the same for every viewer; the viewer's state of it is
    looked up in the page's ``states`` (``{% with state=states|for_activity:activity %}``)."""

    activity: Activity
    template: str
    number: int = 1  # its place among the page's activities of its kind ("Reflection 2 of 3")
    of: int = 1


_kinds: dict[str, ActivityKind] = {}


def register(kind: ActivityKind) -> None:
    _kinds[kind.name] = kind


def is_registered(name: str) -> bool:
    return name in _kinds


def _by_kind(activities: Iterable[Activity]) -> dict[str, list[Activity]]:
    grouped: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        grouped[activity.kind].append(activity)
    return grouped


def activities_placed(activities: Sequence[Activity]) -> list[ActivityOnPage]:
    """Each shown activity with its template and its place among its kind on the page."""
    grouped = _by_kind(activities)
    return [
        ActivityOnPage(a, _kinds[a.kind].template, grouped[a.kind].index(a) + 1, len(grouped[a.kind]))
        for a in activities
    ]


def activity_states(
    *, viewer, activities: Sequence[Activity], overrides: dict[int, Any] | None = None
) -> dict[int, Any]:
    """The viewer's state of each activity on a page (by id; none for kinds that keep no records): one
    query per kind that keeps records, or per loader when kinds share one (they are then loaded
    together, in one call). ``overrides`` replace some, after a refused save."""
    loaders: dict[StatesLoader, list[Activity]] = defaultdict(list)
    for name, group in _by_kind(activities).items():
        if (load_states := _kinds[name].load_states) is not None:
            loaders[load_states] += group
    states: dict[int, Any] = {}
    for load_states, group in loaders.items():
        states.update(load_states(viewer=viewer, activities=group))
    states.update(overrides or {})
    return states


def activities_done(*, learner, activities: Sequence[Activity]) -> set[int]:
    """The ids of the activities the learner has done, asked of each kind that keeps records."""
    done: set[int] = set()
    for name, group in _by_kind(activities).items():
        kind = _kinds.get(name)
        if kind is not None and kind.load_done is not None:
            done |= kind.load_done(learner=learner, activities=group)
    return done


register(ActivityKind(name="lesson", template="courses/activities/lesson.html"))
register(ActivityKind(name="takeaways", template="courses/activities/takeaways.html"))
