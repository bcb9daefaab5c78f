from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.learners import journal_sections
from courses.models import Activity
from courses.selectors import active_activity, lesson_for_slug
from courses.views import module_page

from .boxes import ReflectionBox, planner_boxes
from .exports import journal_json, journal_markdown
from .history import history_page
from .limits import storage_full_message, too_many_saves_message
from .models import PLANNER
from .payloads import PayloadError, form_body, save_payload, whole_number
from .planners import (
    answer_url,
    answered_activity,
    in_declared_order,
    planner_field,
    planner_intro_html,
    planner_title,
)
from .selectors import journal_for, reflection_for, reflections_for, version_for
from .services import (
    ReflectionConflict,
    StorageCeilingReached,
    reflection_restore,
    reflection_save,
    reflection_saves_limited,
    reflection_share,
)

RETRY_AFTER_LIMIT = 60  # seconds: the rate limit's window


@never_cache
@login_required
def planner(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A planner's own page: its intro and one automatically saved box per field."""
    return _planner_page(request, active_activity(activity_id=activity_id, kind=PLANNER))


def _planner_page(
    request: HttpRequest, activity: Activity, overrides: dict[str, ReflectionBox] | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "activity": activity,
        "module": activity.module,
        "title": planner_title(activity),
        "intro_html": planner_intro_html(activity),
        "fields": planner_boxes(viewer=request.user, activity=activity, overrides=overrides),
    }
    return render(request, "reflections/planner.html", context, status=status)


@login_required
@require_POST
def reflection_submit(request: HttpRequest, activity_id: int, field: str = "") -> HttpResponse:
    """The plain form post: works without JavaScript, checked like an automatic save."""
    activity = answered_activity(activity_id=activity_id, field=field)
    try:
        data = form_body(request)
    except PayloadError as error:
        return HttpResponseBadRequest(error.message)
    try:
        payload = save_payload(data)
    except PayloadError as error:
        if error.code != "too_long":
            return HttpResponseBadRequest(error.message)
        return _refused(request, activity, field, data, error.message, status=400)  # the text stays in the box
    if reflection_saves_limited(learner=request.user):
        return _refused(request, activity, field, data, too_many_saves_message(), status=429)
    try:
        reflection_save(
            learner=request.user, activity=activity, field=field, text=payload.text, base_revision=payload.base_revision
        )
    except ReflectionConflict as conflict:
        # Keep the learner's text in the box, based on the newest revision, and show what is saved.
        box = ReflectionBox(text=payload.text, base_revision=conflict.current.revision, conflict=conflict.current)
        return _page_with(request, activity, field, box, status=409)
    except StorageCeilingReached:
        return _refused(request, activity, field, data, storage_full_message(), status=413)
    now = time_format(timezone.localtime(), "H:i")
    saved = _("Your answer is saved (%(time)s).") if field else _("Your reflection is saved (%(time)s).")
    messages.success(request, saved % {"time": now})
    return redirect(answer_url(activity, field))


def _refused(request: HttpRequest, activity: Activity, field: str, data: dict, message: str, *, status: int):
    """The page again with the posted text in the box and ``message`` saying why it was not saved."""
    revision = whole_number(data.get("base_revision")) or 0
    box = ReflectionBox(text=data.get("text", ""), base_revision=revision, error=message)
    response = _page_with(request, activity, field, box, status=status)
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_LIMIT)
    return response


def _page_with(
    request: HttpRequest, activity: Activity, field: str, box: ReflectionBox, *, status: int
) -> HttpResponse:
    saved = reflection_for(viewer=request.user, learner=request.user, activity=activity, field=field)
    box = replace(box, saved=saved)
    if field:
        return _planner_page(request, activity, overrides={field: box}, status=status)
    lesson = lesson_for_slug(course=activity.module.course.slug, slug=activity.module.slug)
    return module_page(request, lesson, overrides={activity.pk: box}, status=status)


@never_cache
@login_required
def reflection_history(request: HttpRequest, activity_id: int, field: str = "") -> HttpResponse:
    activity = answered_activity(activity_id=activity_id, field=field)
    reflection = reflection_for(viewer=request.user, learner=request.user, activity=activity, field=field)
    page, versions = history_page(reflection, request.GET.get("page"))
    context = {
        "activity": activity,
        "field": planner_field(activity, field) if field else None,
        "back_url": answer_url(activity, field),
        "reflection": reflection,
        "page": page,
        "versions": versions,
    }
    return render(request, "reflections/history.html", context)


@login_required
@require_POST
def reflection_version_restore(
    request: HttpRequest, activity_id: int, version_id: int, field: str = ""
) -> HttpResponse:
    activity = answered_activity(activity_id=activity_id, field=field)
    version = version_for(
        viewer=request.user, learner=request.user, activity=activity, version_id=version_id, field=field
    )
    current = {"text": version.reflection.text, "base_revision": version.reflection.revision}
    if reflection_saves_limited(learner=request.user):
        return _refused(request, activity, field, current, too_many_saves_message(), status=429)
    try:
        reflection_restore(learner=request.user, activity=activity, version=version, field=field)
    except StorageCeilingReached:
        return _refused(request, activity, field, current, storage_full_message(), status=413)
    when = date_format(timezone.localtime(version.saved_at), "j M, H:i")
    if field:
        restored = _("The version from %(when)s is your answer again.")
    else:
        restored = _("The version from %(when)s is your reflection again.")
    messages.success(request, restored % {"when": when})
    return redirect(answer_url(activity, field))


@never_cache
@login_required
def journal(request: HttpRequest) -> HttpResponse:
    reflections = in_declared_order(journal_for(viewer=request.user, learner=request.user))
    sections = journal_sections(viewer=request.user, learner=request.user)
    return render(request, "reflections/journal.html", {"reflections": reflections, "sections": sections})


@never_cache
@login_required
def journal_download(request: HttpRequest, fmt: str) -> HttpResponse:
    reflections = in_declared_order(journal_for(viewer=request.user, learner=request.user))
    if fmt == "json":
        body, content_type = journal_json(learner=request.user, reflections=reflections), "application/json"
    else:
        body, content_type = journal_markdown(learner=request.user, reflections=reflections), "text/markdown"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-reflections.{fmt}"'
    return response


@login_required
@require_POST
def reflection_share_toggle(request: HttpRequest, reflection_id: int) -> HttpResponse:
    """Share an answer with the learner's coaches, or make it private again (only the learner can)."""
    reflection = reflections_for(viewer=request.user, learner=request.user).filter(pk=reflection_id).first()
    if reflection is None:
        raise Http404
    shared = request.POST.get("share") == "1"
    reflection_share(reflection=reflection, shared=shared)
    if shared:
        messages.success(request, _("Shared with your coach. You can make it private again at any time."))
    else:
        messages.success(request, _("Private again: your coach no longer sees it."))
    return redirect(_answer_url(reflection))


def _answer_url(reflection) -> str:
    if reflection.field:
        return reverse("reflections:planner", args=[reflection.activity_id]) + f"#{reflection.field}"
    return reflection.activity.get_absolute_url()
