from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404

from .models import Activity, Course, Module

LESSON_CACHE_SECONDS = 60 * 60
# How long a process trusts its last look at the content version. The importer
# clears it in its own process; other app servers see new content within this.
CONTENT_VERSION_SECONDS = 5
CONTENT_VERSION_KEY = "courses:content-version"


@dataclass(frozen=True)
class Lesson:
    """Everything on a lesson page that is the same for every learner."""

    module: Module
    activities: list[Activity]
    previous: Module | None
    next: Module | None

    @property
    def course(self) -> Course:
        return self.module.course


def courses_listed() -> list[Course]:
    """Every course, with ``module_count``."""
    return list(Course.objects.annotate(module_count=Count("modules")).order_by("position", "title"))


def course_for_slug(*, slug: str) -> Course:
    try:
        return Course.objects.get(slug=slug)
    except Course.DoesNotExist:
        raise Http404 from None


def course_outline(*, course: Course) -> list[Module]:
    return list(Module.objects.outline().filter(course=course))


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
    its copy is stale.
    """
    key = f"lesson:{content_version()}:{course}:{slug}"
    lesson = cache.get(key)
    if lesson is None:
        lesson = _build_lesson(course, slug)
        cache.set(key, lesson, LESSON_CACHE_SECONDS)
    return lesson


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
    return Lesson(
        module=module,
        activities=list(module.activities.all()),
        previous=outline.filter(number__lt=module.number).order_by("-number").first(),
        next=outline.filter(number__gt=module.number).order_by("number").first(),
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
    key = f"activity:{content_version()}:{activity_id}"
    activity = cache.get(key)
    if activity is None:
        try:
            activity = Activity.objects.select_related("module__course").get(pk=activity_id, is_active=True)
        except Activity.DoesNotExist:
            raise Http404 from None
        cache.set(key, activity, LESSON_CACHE_SECONDS)
    if activity.kind != kind:
        raise Http404
    return activity
