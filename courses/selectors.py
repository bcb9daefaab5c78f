from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .models import Activity, Course, Module
from .rendering import section_headings

LESSON_CACHE_SECONDS = 60 * 60
# How long a process trusts its last look at the content version. The importer
# clears it in its own process; other app servers see new content within this.
CONTENT_VERSION_SECONDS = 5
CONTENT_VERSION_KEY = "courses:content-version"
T = TypeVar("T")


@dataclass(frozen=True)
class Lesson:
    """Everything on a lesson page that is the same for every learner."""

    module: Module
    activities: list[Activity]
    previous: Module | None
    next: Module | None
    # (id, inner HTML) of each section heading of the lesson text, for the page's outline.
    sections: tuple[tuple[str, str], ...] = ()
    # The parts of the page that are the same for every learner, drawn once when the lesson is built:
    # the promise, the outline and the quote; the links to the neighbouring modules.
    intro_html: str = ""
    pager_html: str = ""

    @property
    def course(self) -> Course:
        return self.module.course


# What _cached built or read, kept in this process as well, as objects: reading the shared
# cache unpickles a copy each time (about a third of a millisecond for a lesson). The keys hold
# the content version, so an entry is never served for newer content; nothing here is changed
# after it is built. Emptied when it reaches _KEPT_MAX entries (old versions' keys).
_kept: dict[str, object] = {}
_KEPT_MAX = 256


def _cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept in the cache until the content changes (the key holds the content version)."""

    def shared() -> T:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, LESSON_CACHE_SECONDS)
        return value

    key = f"{name}:{content_version()}"
    return _in_process(key, shared)


def kept_in_process(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept in this process only until the content changes: for what cannot be pickled
    into the shared cache (a page's frame, which holds template nodes)."""
    return _in_process(f"{name}:{content_version()}", build)


def _in_process(key: str, build: Callable[[], T]) -> T:
    value = _kept.get(key)
    if value is None:
        value = build()
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        _kept[key] = value
    return value


def forget_cached() -> None:
    """Empty this process's copies (the tests do, with the cache, between tests)."""
    _kept.clear()


def courses_listed() -> list[Course]:
    """Every course, with ``module_count``; from the cache while the content is unchanged."""
    return _cached(
        "courses", lambda: list(Course.objects.annotate(module_count=Count("modules")).order_by("position", "title"))
    )


def course_for_slug(*, slug: str) -> Course:
    course = next((course for course in courses_listed() if course.slug == slug), None)
    if course is None:
        raise Http404
    return course


def course_outline(*, course: Course) -> list[Module]:
    """The course's modules in order; from the cache while the content is unchanged."""
    return _cached(f"outline:{course.pk}", lambda: list(Module.objects.outline().filter(course=course)))


def course_activities(*, course: Course) -> dict[int, Activity]:
    """Every activity of the course's modules by id, retired ones too (learners' records keep
    pointing at them), each with its module and course at hand; from the cache while the content
    is unchanged."""
    return _cached(
        f"activities:{course.pk}",
        lambda: {a.pk: a for a in Activity.objects.filter(module__course=course).select_related("module__course")},
    )


def content_version() -> str:
    """Changes whenever the importer creates or changes a module or course (it never deletes one)."""
    return cache.get_or_set(CONTENT_VERSION_KEY, _newest_change, CONTENT_VERSION_SECONDS)


def _newest_change() -> str:
    newest = Module.objects.aggregate(module=Max("updated_at"), course=Max("course__updated_at"))
    if newest["module"] is None:
        return "empty"
    return f"{newest['module'].isoformat()}:{newest['course'].isoformat()}"


def lesson_for_slug(*, course: str, slug: str) -> Lesson:
    """The lesson, from the cache when the content has not changed since it was built.

    At most one query (the content version, itself cached for a few seconds)
    instead of four; with several app servers the key tells every process when
    its copy is stale. The parts of its page that are the same for everyone are
    drawn with it, in the active language (which is in the key).
    """
    return _cached(f"lesson:{get_language()}:{course}:{slug}", lambda: _build_lesson(course, slug))


def lesson_uncached(*, course: str, slug: str) -> Lesson:
    """The lesson as the database holds it now, bypassing the cache (the console's preview of
    content not yet published must never reach the cache learners read)."""
    return _build_lesson(course, slug)


def _build_lesson(course: str, slug: str) -> Lesson:
    try:
        module = Module.objects.with_shown_activities().get(course__slug=course, slug=slug)
    except Module.DoesNotExist:
        raise Http404 from None
    outline = (
        Module.objects.filter(course=module.course_id)
        .select_related("course")
        .only("number", "slug", "title", "course__slug")
    )
    activities = list(module.activities.all())
    lesson = Lesson(
        module=module,
        activities=activities,
        sections=tuple(
            heading for item in activities if item.kind == "lesson" for heading in section_headings(item.text_html)
        ),
        previous=outline.filter(number__lt=module.number).order_by("-number").first(),
        next=outline.filter(number__gt=module.number).order_by("number").first(),
    )
    context = {"lesson": lesson, "module": module, "course": module.course}
    return replace(
        lesson,
        intro_html=render_to_string("courses/lesson_intro.html", context),
        pager_html=render_to_string("courses/lesson_pager.html", context),
    )


def module_for_old_url(*, slug: str) -> Module:
    """Before there were several courses a module's address was /modules/SLUG/: the first course's with it."""
    module = Module.objects.select_related("course").filter(slug=slug).order_by("course__position", "course").first()
    if module is None:
        raise Http404
    return module


def active_activity(*, activity_id: int, kind: str) -> Activity:
    """An activity of ``kind`` shown in its module (with module and course), cached like lessons:
    every save looks one up."""
    activity = _cached(f"activity:{activity_id}", lambda: _shown_activity(activity_id))
    if activity.kind != kind:
        raise Http404
    return activity


def _shown_activity(activity_id: int) -> Activity:
    try:
        return Activity.objects.select_related("module__course").get(pk=activity_id, is_active=True)
    except Activity.DoesNotExist:
        raise Http404 from None
