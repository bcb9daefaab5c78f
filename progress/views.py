from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import lesson_for_slug

from .services import module_complete


@login_required
@require_POST
def module_mark_complete(request: HttpRequest, course: str, slug: str) -> HttpResponse:
    """Complete the module and go on to the next one (the course's page after the last)."""
    lesson = lesson_for_slug(course=course, slug=slug)
    module_complete(learner=request.user, module=lesson.module)
    messages.success(request, _("Module %(number)d is complete. Well done.") % {"number": lesson.module.number})
    return redirect(lesson.next or lesson.module.course)
