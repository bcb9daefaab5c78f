from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from . import frames
from .activities import activities_placed, activity_states
from .models import Course
from .selectors import (
    Lesson,
    course_for_slug,
    course_outline,
    courses_listed,
    kept_in_process,
    lesson_for_slug,
    module_for_old_url,
)
from .tracking import course_panels, tracker

MODULE_TEMPLATE = "courses/module_detail.html"


def home(request: HttpRequest) -> HttpResponse:
    """The course itself when there is one (as before there were several), else the list of courses."""
    courses = courses_listed()
    if len(courses) == 1:
        return _course_page(request, courses[0])
    return render(request, "courses/course_list.html", {"courses": courses})


def course_detail(request: HttpRequest, course: str) -> HttpResponse:
    return _course_page(request, course_for_slug(slug=course))


def _course_page(request: HttpRequest, course: Course) -> HttpResponse:
    modules = course_outline(course=course)
    track = tracker() if request.user.is_authenticated else None
    progress = track.course_progress(learner=request.user, modules=modules) if track else None
    rows = [(module, progress.statuses[module.pk] if progress else None) for module in modules]
    minutes = sum(module.minutes for module in modules)
    panels = course_panels(viewer=request.user, course=course)
    context = {"course": course, "rows": rows, "progress": progress, "tracker": track, "minutes": minutes}
    context["panels"] = panels
    response = render(request, "courses/course_detail.html", context)
    if progress is not None or panels:
        patch_cache_control(response, private=True, no_store=True)  # a learner's own progress
    return response


@login_required
def module_detail(request: HttpRequest, course: str, slug: str) -> HttpResponse:
    lesson = lesson_for_slug(course=course, slug=slug)
    track = tracker()
    modules = course_outline(course=lesson.course)
    visit = track.module_opened(learner=request.user, module=lesson.module, modules=modules) if track else None
    frame = kept_in_process(f"frame:{get_language()}:{course}:{slug}", lambda: _module_frame(lesson, len(modules)))
    progress = visit.progress if visit else None
    return module_page(request, lesson, progress=progress, visit=visit, frame=frame, modules=modules)


def _module_frame(lesson: Lesson, total: int) -> Any:
    """The module page drawn once for every signed-in learner (courses/frames.py): what is the same
    for all of them, in the active language; the template's slots are drawn for each request."""
    context = {"lesson": lesson, "module": lesson.module, "course": lesson.course, "total": total}
    context.update(activities=activities_placed(lesson.activities), tracker=tracker())
    return frames.draw(MODULE_TEMPLATE, {**context, "LANGUAGE_CODE": get_language()})


def module_page(
    request: HttpRequest,
    lesson: Lesson,
    *,
    progress: Any = None,
    visit: Any = None,
    overrides: dict[int, Any] | None = None,
    status: int = 200,
    frame: Any = None,
    modules: list | None = None,
) -> HttpResponse:
    """The lesson page, with the course ``progress`` when the caller has it. A learner app whose
    activity needs attention (a refused or conflicting save) draws it again with its own state for
    that activity in ``overrides``. ``visit`` is the tracker's record of the opening, with where the
    learner was last time. ``frame`` is the page drawn once for the lesson (signed-in learners only);
    without it the whole template is rendered. ``modules`` is the course's outline when the caller
    has read it already."""
    track = tracker()
    modules = course_outline(course=lesson.course) if modules is None else modules
    if progress is None and track is not None:
        progress = track.course_progress(learner=request.user, modules=modules)
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "course": lesson.course,
        "total": len(modules),
        "states": activity_states(viewer=request.user, activities=lesson.activities, overrides=overrides),
        "status": progress.statuses.get(lesson.module.pk) if progress else None,
        "visit": visit,
        "progress": progress,
        "tracker": track,
    }
    if frame is not None and request.user.is_authenticated:
        response = HttpResponse(frame.render(context, request), status=status)
    else:
        context["activities"] = activities_placed(lesson.activities)  # a frame has them drawn in
        response = render(request, MODULE_TEMPLATE, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def old_module_url(request: HttpRequest, slug: str) -> HttpResponse:
    """/modules/SLUG/ from before there were several courses: moved for good."""
    return redirect(module_for_old_url(slug=slug), permanent=True)


@require_POST
def old_complete_url(request: HttpRequest, slug: str) -> HttpResponse:
    """A page opened before the move posts here: 308 keeps the method and the form."""
    module = module_for_old_url(slug=slug)
    response = redirect("progress:complete", course=module.course.slug, slug=module.slug)
    response.status_code = 308
    return response
