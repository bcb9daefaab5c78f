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


@cache
def _page_bytes() -> bytes:
    return Path(settings.BENCH_PAGE_FILE).read_bytes()


def bare(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_page_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def floor(request: HttpRequest) -> HttpResponse:
    """The signed-in floor: the session read, the learner loaded, one indexed read of their own text,
    then the same bytes. What the module page cannot do without; the rest of its cost is its own."""
    from reflections.models import Reflection

    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    Reflection.objects.filter(learner=request.user).values_list("text", flat=True).first()
    response = HttpResponse(_page_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
