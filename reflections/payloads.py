"""Checking a save: one validator (:func:`save_payload`) for both ways a save arrives.

Automatic saving sends JSON to the API (:func:`json_body`); the plain form post
that works without JavaScript sends form fields (:func:`form_body`). Both bodies
go through the same checks, with the same messages.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .limits import REFLECTION_MAX_CHARS, normalise_line_breaks, shown, text_length

MAX_REVISION = 2**31 - 1
_SAVE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class PayloadError(ValueError):
    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class SavePayload:
    text: str
    base_revision: int
    save_id: str
    after_save_id: str
    learner_id: int | None


def save_payload(data: Mapping[str, Any]) -> SavePayload:
    """The save a body asks for, or PayloadError saying what is wrong with it."""
    return SavePayload(
        text=_text(data.get("text")),
        base_revision=_revision(data.get("base_revision")),
        save_id=_save_id(data.get("save_id", "")),
        after_save_id=_save_id(data.get("after_save_id", "")),
        learner_id=_learner_id(data.get("learner_id")),
    )


def form_body(request: HttpRequest) -> dict[str, Any]:
    """The posted form's fields. A body that is not UTF-8 is refused: Django would
    decode it leniently, with replacement characters."""
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            parse_qsl(request.body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise PayloadError("malformed", _("The form data is not valid UTF-8.")) from None
    return request.POST.dict()


def json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        message = _("Send the save as JSON (Content-Type: application/json).")
        raise PayloadError("unsupported_media_type", message, status=415)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError("malformed", _("The request body is not valid UTF-8 JSON.")) from None
    if not isinstance(data, dict):
        raise PayloadError("malformed", _("The request body must be a JSON object."))
    return data


def _text(value) -> str:
    if not isinstance(value, str):
        raise PayloadError("malformed", _("'text' must be a string."))
    value = normalise_line_breaks(value)
    length = text_length(value)
    if length > REFLECTION_MAX_CHARS:
        message = _(
            "Your reflection is %(length)s characters long; the limit is %(limit)s. "
            "It has not been saved; shorten it and save again. Your last saved text is kept."
        )
        raise PayloadError("too_long", message % {"length": shown(length), "limit": shown(REFLECTION_MAX_CHARS)})
    if "\x00" in value:
        raise PayloadError("malformed", _("Your reflection contains a character that cannot be stored (NUL)."))
    if not is_encodable(value):
        raise PayloadError("malformed", _("Your reflection contains text that is not valid Unicode."))
    return value


def is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def whole_number(value) -> int | None:
    """An int, or a string of ASCII digits; anything else (floats, '²', 5,000 digits) is None."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _revision(value) -> int:
    value = whole_number(value)
    if value is None or not 0 <= value <= MAX_REVISION:
        raise PayloadError("malformed", _("'base_revision' must be a whole number from 0."))
    return value


def _learner_id(value) -> int | None:
    """The learner the page was written for; absent from older clients and the plain form."""
    if value in (None, ""):
        return None
    number = whole_number(value)
    if number is None:
        raise PayloadError("malformed", _("'learner_id' must be a whole number."))
    return number


def _save_id(value) -> str:
    if value == "":
        return ""
    if not isinstance(value, str) or not _SAVE_ID.match(value):
        raise PayloadError("malformed", _("A save id must be 1 to 64 letters, digits, '-' or '_'."))
    return value
