from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.learners import journal_sections
from courses.models import Activity
from courses.selectors import active_activity, lesson_for_slug
from courses.views import module_page

from .boxes import ReflectionBox
from .exports import journal_json, journal_markdown
from .models import REFLECTION
from .payloads import PayloadError, form_body, save_payload, whole_number
from .selectors import journal_for, reflection_for, version_for
from .services import ReflectionConflict, reflection_restore, reflection_save


@login_required
@require_POST
def reflection_submit(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The plain form post: works without JavaScript, checked like an automatic save."""
    activity = active_activity(activity_id=activity_id, kind=REFLECTION)
    try:
        data = form_body(request)
    except PayloadError as error:
        return HttpResponseBadRequest(error.message)
    try:
        payload = save_payload(data)
    except PayloadError as error:
        if error.code != "too_long":
            return HttpResponseBadRequest(error.message)
        revision = whole_number(data.get("base_revision")) or 0
        box = ReflectionBox(text=data["text"], base_revision=revision, error=error.message)
        return _page_with(request, activity, box, status=400)  # the text stays in the box
    try:
        reflection_save(learner=request.user, activity=activity, text=payload.text, base_revision=payload.base_revision)
    except ReflectionConflict as conflict:
        # Keep the learner's text in the box, based on the newest revision, and show what is saved.
        box = ReflectionBox(text=payload.text, base_revision=conflict.current.revision, conflict=conflict.current)
        return _page_with(request, activity, box, status=409)
    now = time_format(timezone.localtime(), "H:i")
    messages.success(request, _("Your reflection is saved (%(time)s).") % {"time": now})
    return redirect(activity.get_absolute_url())


def _page_with(request: HttpRequest, activity: Activity, box: ReflectionBox, *, status: int) -> HttpResponse:
    saved = reflection_for(viewer=request.user, learner=request.user, activity=activity)
    box = replace(box, saved=saved)
    lesson = lesson_for_slug(course=activity.module.course.slug, slug=activity.module.slug)
    return module_page(request, lesson, overrides={activity.pk: box}, status=status)


@never_cache
@login_required
def reflection_history(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = active_activity(activity_id=activity_id, kind=REFLECTION)
    reflection = reflection_for(viewer=request.user, learner=request.user, activity=activity)
    versions = reflection.versions.all() if reflection else []
    context = {"activity": activity, "reflection": reflection, "versions": versions}
    return render(request, "reflections/history.html", context)


@login_required
@require_POST
def reflection_version_restore(request: HttpRequest, activity_id: int, version_id: int) -> HttpResponse:
    activity = active_activity(activity_id=activity_id, kind=REFLECTION)
    version = version_for(viewer=request.user, learner=request.user, activity=activity, version_id=version_id)
    reflection_restore(learner=request.user, activity=activity, version=version)
    when = date_format(timezone.localtime(version.saved_at), "j M, H:i")
    messages.success(request, _("The version from %(when)s is your reflection again.") % {"when": when})
    return redirect(activity.get_absolute_url())


@never_cache
@login_required
def journal(request: HttpRequest) -> HttpResponse:
    reflections = journal_for(viewer=request.user, learner=request.user)
    sections = journal_sections(viewer=request.user, learner=request.user)
    return render(request, "reflections/journal.html", {"reflections": reflections, "sections": sections})


@never_cache
@login_required
def journal_download(request: HttpRequest, fmt: str) -> HttpResponse:
    reflections = list(journal_for(viewer=request.user, learner=request.user))
    if fmt == "json":
        body, content_type = journal_json(learner=request.user, reflections=reflections), "application/json"
    else:
        body, content_type = journal_markdown(learner=request.user, reflections=reflections), "text/markdown"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-reflections.{fmt}"'
    return response
