"""A course folder's ``course.yaml``: what the course is; its modules are the files beside it.

slug: sales-blueprint                 lowercase letters, digits and '-'
title: The Sales Blueprint System
description: One or two sentences.    (optional, plain text)
audience: Who it is for.              (optional, plain text)
position: 1                           (optional: order on the home page)
revisit_days: [2, 7, 21]              (optional: days after a reflection is written that it is revisited)
revisit_question: Since then, ...?    (optional: the follow-up question a revisit asks)
"""

import hashlib
import re
from dataclasses import asdict, dataclass

import yaml

from .document import MAX_TITLE_CHARS, ModuleFormatError
from .yaml_mapping import key_lines, load_yaml_mapping

COURSE_FILE = "course.yaml"
FIELDS = {"slug", "title", "description", "audience", "position", "revisit_days", "revisit_question"}
REVISIT_DAYS = (2, 7, 21)
REVISIT_QUESTION = (
    "Since you wrote this, have you had a negotiation where it mattered? What did you do, and what happened?"
)
MAX_POSITION = 32_767
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True)
class CourseDocument:
    slug: str
    title: str
    description: str = ""
    audience: str = ""
    position: int = 1
    revisit_days: tuple[int, ...] = REVISIT_DAYS
    revisit_question: str = REVISIT_QUESTION

    def content_hash(self) -> str:
        return hashlib.sha256(repr(sorted(asdict(self).items())).encode()).hexdigest()


# Module files outside any course folder belong to the platform's first course.
FIRST_COURSE = CourseDocument(slug="sales-blueprint", title="The Sales Blueprint System")


def parse_course(text: str) -> CourseDocument:
    text = text.lstrip("\ufeff")
    meta = load_yaml_mapping(text, first_line=1, what="course file")
    line_of = key_lines(text, first_line=1, what="course file")
    if unknown := sorted(set(meta) - FIELDS):
        message = f"unknown course key {unknown[0]!r}; expected one of {', '.join(sorted(FIELDS))}"
        raise ModuleFormatError(message, line=line_of.get(unknown[0], 1))
    for name in ("slug", "title", "description", "audience"):
        if name in meta and not isinstance(meta[name], str):
            raise ModuleFormatError(f"expected '{name}:' to be text", line=line_of[name])
    if not _SLUG.match(meta.get("slug", "")):
        raise ModuleFormatError("expected 'slug:' of lowercase letters, digits and '-'", line=line_of.get("slug", 1))
    if not meta.get("title", "").strip() or len(meta["title"].strip()) > MAX_TITLE_CHARS:
        message = f"expected 'title:' with the course's title, at most {MAX_TITLE_CHARS} characters"
        raise ModuleFormatError(message, line=line_of.get("title", 1))
    position = meta.get("position", 1)
    if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position <= MAX_POSITION:
        message = f"expected 'position:' to be a whole number from 0 to {MAX_POSITION}"
        raise ModuleFormatError(message, line=line_of.get("position", 1))
    days = meta.get("revisit_days", list(REVISIT_DAYS))
    if (
        not isinstance(days, list)
        or not 1 <= len(days) <= 10
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 365 for d in days)
        or days != sorted(set(days))
    ):
        message = "expected 'revisit_days:' to be a list of 1 to 10 increasing whole numbers of days from 1 to 365"
        raise ModuleFormatError(message, line=line_of.get("revisit_days", 1))
    question = meta.get("revisit_question", REVISIT_QUESTION)
    if not isinstance(question, str) or not question.strip() or len(question) > 300:
        message = "expected 'revisit_question:' to be the question, at most 300 characters"
        raise ModuleFormatError(message, line=line_of.get("revisit_question", 1))
    texts = {name: meta.get(name, "").strip() for name in ("slug", "title", "description", "audience")}
    return CourseDocument(**texts, position=position, revisit_days=tuple(days), revisit_question=question.strip())


def dump_course(course) -> str:
    """A course (anything with the CourseDocument fields) as a ``course.yaml``."""
    fields = {name: getattr(course, name) for name in ("slug", "title", "description", "audience", "position")}
    meta = {name: value for name, value in fields.items() if value not in ("", None)}
    if tuple(course.revisit_days) != REVISIT_DAYS:
        meta["revisit_days"] = list(course.revisit_days)
    if course.revisit_question != REVISIT_QUESTION:
        meta["revisit_question"] = course.revisit_question
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000)
