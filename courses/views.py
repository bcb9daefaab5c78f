from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from progress.models import Status
from progress.selectors import course_progress, module_status
from progress.services import module_complete, module_open
from reflections.forms import ReflectionForm
from reflections.selectors import reflection_for_learner

from .selectors import Lesson, course_outline, lesson_for_slug


def home(request: HttpRequest) -> HttpResponse:
    modules = course_outline()
    progress = course_progress(learner=request.user, modules=modules) if request.user.is_authenticated else None
    rows = [(module, progress.statuses[module.pk] if progress else None) for module in modules]
    response = render(request, "courses/home.html", {"rows": rows, "progress": progress})
    if progress is not None:
        patch_cache_control(response, private=True, no_store=True)  # a learner's own progress
    return response


@login_required
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = lesson_for_slug(slug=slug)
    status = module_open(learner=request.user, module=lesson.module)
    return render_lesson(request, lesson, progress_status=status)


@login_required
@require_POST
def module_mark_complete(request: HttpRequest, slug: str) -> HttpResponse:
    module = lesson_for_slug(slug=slug).module
    module_complete(learner=request.user, module=module)
    messages.success(request, _("Module %(number)d is complete. Well done.") % {"number": module.number})
    return redirect("courses:home")


def render_lesson(
    request: HttpRequest,
    lesson: Lesson,
    *,
    progress_status: Status | None = None,
    form: ReflectionForm | None = None,
    conflict=None,
    status: int = 200,
) -> HttpResponse:
    """The lesson page; the reflections app re-renders it with a form that needs attention."""
    reflection = reflection_for_learner(learner=request.user, prompt=lesson.prompt) if lesson.prompt else None
    if form is None and lesson.prompt is not None:
        form = ReflectionForm.for_reflection(reflection)
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "prompt": lesson.prompt,
        "reflection": reflection,
        "form": form,
        "conflict": conflict,
        "status": progress_status or module_status(learner=request.user, module=lesson.module),
    }
    response = render(request, "courses/module_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
