import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.learners import learner_rate_limited
from courses.selectors import lesson_for_slug

from .services import module_complete, reading_record

# The page sends what it counted every 30 seconds of reading and when it is left: more than
# two minutes in one beacon is not a person reading, and is refused.
READING_SECONDS_MAX = 120
# Beacons per learner per minute, every module together: the page sends about two a minute per tab.
READING_BEACONS_PER_MINUTE = 30
# A section's or box's id on the module page (headings' "section-...", activity keys).
_PAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,200}")


@login_required
@require_POST
def module_mark_complete(request: HttpRequest, course: str, slug: str) -> HttpResponse:
    """Complete the module and go on to the next one (the course's page after the last)."""
    lesson = lesson_for_slug(course=course, slug=slug)
    module_complete(learner=request.user, module=lesson.module)
    messages.success(request, _("Module %(number)d is complete. Well done.") % {"number": lesson.module.number})
    return redirect(lesson.next or lesson.module.course)


@require_POST
def reading(request: HttpRequest, course: str, slug: str) -> HttpResponse:
    """A beacon from the module page: seconds of active reading (``seconds``, omitted when none or when
    the learner turned counting off) and where they are (``section`` and ``box`` ids). 204, or 4xx."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    lesson = lesson_for_slug(course=course, slug=slug)
    if learner_rate_limited(learner=request.user, scope="reading", limit=READING_BEACONS_PER_MINUTE, seconds=60):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    try:
        seconds, section, box = _beacon(request.POST)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if not request.user.measure_reading_time:
        seconds = 0  # a page opened before the learner turned counting off
    reading_record(learner=request.user, module=lesson.module, seconds=seconds, section=section, box=box)
    return HttpResponse(status=204)


def _beacon(data: QueryDict) -> tuple[int, str, str]:
    raw = data.get("seconds", "0")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3 and int(raw) <= READING_SECONDS_MAX):
        raise ValueError(f"seconds: expected a whole number from 0 to {READING_SECONDS_MAX}")
    section, box = data.get("section", ""), data.get("box", "")
    for name, value in (("section", section), ("box", box)):
        if value and not _PAGE_ID.fullmatch(value):
            raise ValueError(f"{name}: expected an element id of letters, digits, '-' and '_'")
    return int(raw), section, box
