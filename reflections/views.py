from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.selectors import active_prompt, lesson_for_slug
from courses.views import render_lesson

from .exports import journal_json, journal_markdown
from .forms import ReflectionForm
from .payloads import PayloadError, check_form_encoding
from .selectors import reflection_for_learner, reflections_of_learner, version_for_learner
from .services import ReflectionConflict, reflection_restore, reflection_save


@login_required
@require_POST
def reflection_submit(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """The plain form post: works without JavaScript."""
    prompt = active_prompt(prompt_id=prompt_id)
    try:
        check_form_encoding(request)
    except PayloadError as error:
        return HttpResponseBadRequest(error.message)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return render_lesson(request, lesson_for_slug(slug=prompt.module.slug), form=form, status=400)
    try:
        reflection_save(learner=request.user, prompt=prompt, **form.cleaned_data)
    except ReflectionConflict as conflict:
        # Keep the learner's text in the box, based on the newest revision, and show what is saved.
        form = ReflectionForm(initial={"text": form.cleaned_data["text"], "base_revision": conflict.current.revision})
        lesson = lesson_for_slug(slug=prompt.module.slug)
        return render_lesson(request, lesson, form=form, conflict=conflict.current, status=409)
    now = time_format(timezone.localtime(), "H:i")
    messages.success(request, _("Your reflection is saved (%(time)s).") % {"time": now})
    return redirect(prompt.get_absolute_url())


@never_cache
@login_required
def reflection_history(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = active_prompt(prompt_id=prompt_id)
    reflection = reflection_for_learner(learner=request.user, prompt=prompt)
    versions = reflection.versions.all() if reflection else []
    return render(
        request, "reflections/history.html", {"prompt": prompt, "reflection": reflection, "versions": versions}
    )


@login_required
@require_POST
def reflection_version_restore(request: HttpRequest, prompt_id: int, version_id: int) -> HttpResponse:
    prompt = active_prompt(prompt_id=prompt_id)
    version = version_for_learner(learner=request.user, prompt=prompt, version_id=version_id)
    reflection_restore(learner=request.user, prompt=prompt, version=version)
    when = date_format(timezone.localtime(version.saved_at), "j M, H:i")
    messages.success(request, _("The version from %(when)s is your reflection again.") % {"when": when})
    return redirect(prompt.get_absolute_url())


@never_cache
@login_required
def journal(request: HttpRequest) -> HttpResponse:
    return render(request, "reflections/journal.html", {"reflections": reflections_of_learner(learner=request.user)})


@never_cache
@login_required
def journal_download(request: HttpRequest, fmt: str) -> HttpResponse:
    reflections = list(reflections_of_learner(learner=request.user))
    if fmt == "json":
        body, content_type = journal_json(learner=request.user, reflections=reflections), "application/json"
    else:
        body, content_type = journal_markdown(learner=request.user, reflections=reflections), "text/markdown"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-reflections.{fmt}"'
    return response
