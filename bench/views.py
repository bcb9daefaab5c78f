"""The limits for a Django page: the module page's bytes, returned without any work (``bare``), and
with only what any signed-in page must do (``floor``).

The bytes are a snapshot of the signed-in module page that the harness saves
before it starts the server; the view goes through the same middleware and the
same WSGI server as the real page, so the ratio between the two is what the
page's own work (queries, templates, sessions) costs.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.learners import learner_rows
from courses.models import Activity
from reflections.models import Reflection


@cache
def _prompt_ids() -> list[int]:
    return list(Activity.objects.filter(kind="reflection").values_list("pk", flat=True))


@cache
def _page_bytes() -> bytes:
    return Path(settings.BENCH_PAGE_FILE).read_bytes()


def bare(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_page_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def floor(request: HttpRequest) -> HttpResponse:
    """The signed-in floor: the session read, the learner loaded, one indexed read of their own text,
    then the same bytes. What the module page cannot do without; the rest of its cost is its own.
    The read is made the way the page reads the learner's rows (accounts.learners.learner_rows),
    so the floor is as cheap as the page's own reads can be."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    learner_rows(Reflection, learner=request.user, among=("activity", _prompt_ids()), fields=["text"])
    response = HttpResponse(_page_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
