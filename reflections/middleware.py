"""The JSON API answers in JSON whatever goes wrong.

Django answers an error it handles itself (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
a CSRF failure, an unknown address, an uncaught exception such as a database
failure) with an HTML page. Under ``/api/`` this middleware turns every such
answer into ``{"error": ..., "message": ...}`` with the same status, so the
page's script can read it, and answers an oversized body with 413 before
anything reads it. Django still logs the errors it handled. A full disk is 503
(the page keeps the text and sends it again later), logged here.
"""

import errno
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_FULL = 60  # seconds
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full
_KEPT_HEADERS = ("Allow", "Retry-After")


def _messages() -> dict[int, tuple[str, str]]:
    kept = _("Your text is kept on this device.")
    return {
        400: ("bad_request", _("The server could not read this request.")),
        403: ("forbidden", _("The server refused this request; sign in again and reload the page.")),
        404: ("not_found", _("There is nothing to save to at this address.")),
        405: ("method_not_allowed", _("This address does not accept this kind of request.")),
        413: ("too_large", _("The request is larger than the server accepts.") + " " + kept),
        500: ("server_error", _("Something went wrong on the server; nothing was saved.") + " " + kept),
        503: ("storage_full", _("The server has no room to store anything just now; nothing was saved.") + " " + kept),
    }


def api_error(status: int, *, error: str = "", message: str = "") -> JsonResponse:
    """The API's answer for an error ``status``: a code and a message a learner can read."""
    default_error, default_message = _messages().get(status, ("error", _("The request failed.")))
    return JsonResponse({"error": error or default_error, "message": message or default_message}, status=status)


class JsonApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return api_error(413)  # what reading the body would raise (RequestDataTooBig), as JSON
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = api_error(response.status_code)
        replacement.cookies = response.cookies
        for header in _KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path_info.startswith(API_PREFIX) or not storage_is_full(exception):
            return None
        logger.error("No room to store %s: %s", request.path, exception, exc_info=exception)
        response = api_error(503)
        response["Retry-After"] = str(RETRY_AFTER_FULL)
        return response


def storage_is_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk (or SQLite's database) is full, from either database."""
    for cause in (error, error.__cause__):
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return True
        if isinstance(cause, DatabaseError) and "database or disk is full" in str(cause):
            return True  # SQLite's SQLITE_FULL
        if DISK_FULL_SQLSTATE in (getattr(cause, "sqlstate", None), getattr(cause, "pgcode", None)):
            return True
    return False


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
