from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import active_prompt, module_for_lesson
from courses.views import render_module

from .forms import ReflectionForm
from .services import ReflectionConflict, reflection_save


@login_required
@require_POST
def reflection_submit(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """The plain form post: works without JavaScript."""
    prompt = active_prompt(prompt_id=prompt_id)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return render_module(request, module_for_lesson(slug=prompt.module.slug), form=form, status=400)
    try:
        reflection_save(learner=request.user, prompt=prompt, **form.cleaned_data)
    except ReflectionConflict as conflict:
        # Keep the learner's text in the box, based on the newest revision, and show what is saved.
        form = ReflectionForm(initial={"text": form.cleaned_data["text"], "base_revision": conflict.current.revision})
        module = module_for_lesson(slug=prompt.module.slug)
        return render_module(request, module, form=form, conflict=conflict.current, status=409)
    now = time_format(timezone.localtime(), "H:i")
    messages.success(request, _("Your reflection is saved (%(time)s).") % {"time": now})
    return redirect(prompt.get_absolute_url())
