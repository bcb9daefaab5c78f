"""Parsing and checking a save request's body, JSON or form-encoded (the page-close beacon)."""

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .limits import REFLECTION_MAX_CHARS

MAX_REVISION = 2**31 - 1
_SAVE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class PayloadError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SavePayload:
    text: str
    base_revision: int
    save_id: str
    after_save_id: str
    learner_id: int | None


def parse_save(request: HttpRequest) -> SavePayload:
    data = _body(request)
    return SavePayload(
        text=_text(data.get("text")),
        base_revision=_revision(data.get("base_revision")),
        save_id=_save_id(data.get("save_id", "")),
        after_save_id=_save_id(data.get("after_save_id", "")),
        learner_id=_learner_id(data.get("learner_id")),
    )


def check_form_encoding(request: HttpRequest) -> None:
    """Refuse a form body that is not UTF-8; Django would decode it leniently, with replacement characters."""
    if request.content_type != "application/x-www-form-urlencoded":
        return
    try:
        parse_qsl(request.body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise PayloadError("malformed", _("The form data is not valid UTF-8.")) from None


def _body(request: HttpRequest) -> dict:
    if request.content_type != "application/json":
        check_form_encoding(request)
        return request.POST.dict()
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
    if len(value) > REFLECTION_MAX_CHARS:
        message = _("Your reflection is %(length)d characters long; the limit is %(limit)d. It has not been saved.")
        raise PayloadError("too_long", message % {"length": len(value), "limit": REFLECTION_MAX_CHARS})
    if "\x00" in value:
        raise PayloadError("malformed", _("The text contains a NUL character, which cannot be stored."))
    if not is_encodable(value):
        raise PayloadError("malformed", _("The text contains an unpaired surrogate, which is not valid Unicode."))
    return value


def is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _whole_number(value) -> int | None:
    """An int, or a string of ASCII digits; anything else (floats, '²', 5,000 digits) is None."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _revision(value) -> int:
    value = _whole_number(value)
    if value is None or not 0 <= value <= MAX_REVISION:
        raise PayloadError("malformed", _("'base_revision' must be a whole number from 0."))
    return value


def _learner_id(value) -> int | None:
    """The learner the page was written for; absent from older clients and the plain form."""
    if value in (None, ""):
        return None
    number = _whole_number(value)
    if number is None:
        raise PayloadError("malformed", _("'learner_id' must be a whole number."))
    return number


def _save_id(value) -> str:
    if value == "":
        return ""
    if not isinstance(value, str) or not _SAVE_ID.match(value):
        raise PayloadError("malformed", _("A save id must be 1 to 64 letters, digits, '-' or '_'."))
    return value
