"""The customer's plain-text module form (see ``shared/seeds``).

    Module 1 · ~13 min                 header; the minutes are optional
    Title · Subtitle                   the subtitle is optional
    “A line in curly quotes”           optional pull quote
    Paragraph lines and short lines without end punctuation (section headings)
    Hold on to these                   then '- ' takeaways
    Reflection · write it down         then the prompt; repeat the part for more prompts
    Saves automatically · come back to it whenever.   (page furniture, skipped)
    What you walk away with            then the outcome

Each reflection prompt is keyed by its order (``reflection``, ``reflection-2``...),
or by an explicit id at the end of its line: ``Reflection · write it down #pricing``.
An author who inserts a prompt between others gives ids, so learners' answers stay
with the prompts they answered (see README, "Several reflections in a module").

Every line is one paragraph; blank lines are ignored. Text is literal: characters
that mean something in Markdown are escaped, so '<', '&' or '*' show as written.
"""

import re
from collections.abc import Iterable

from .document import (
    LESSON,
    MAX_MINUTES,
    MAX_NUMBER,
    MAX_TITLE_CHARS,
    ActivityDocument,
    ModuleDocument,
    ModuleFormatError,
    check_keyed_once,
    check_reflection_id,
    reflection_key,
    split_lines,
)
from .markdown_text import escape_markdown

Line = tuple[int, str]

_HEADER = re.compile(r"^Module\s+(?P<number>\d+)(?:\s*·\s*~?\s*(?P<minutes>\d+)\s*min(?:ute)?s?\.?)?$", re.IGNORECASE)
_QUOTE = re.compile(r"^[“\"](?P<text>.+?)[”\"]$")
_REFLECTION = re.compile(r"^reflection · write it down(?:\s+#(?P<id>\S*))?$", re.IGNORECASE)
_BULLET = re.compile(r"^[-•*]\s+(?P<text>.+)$")
_HEADING_MAX_WORDS = 12
_HEADING_MAX_CHARS = 100
_END_PUNCTUATION = tuple(".!?:;,…”\"'’)")

TAKEAWAYS, REFLECTION, OUTCOME, FURNITURE = "takeaways", "reflection", "outcome", "furniture"
MARKERS = {
    "hold on to these": TAKEAWAYS,
    "reflection · write it down": REFLECTION,
    "saves automatically · come back to it whenever.": FURNITURE,
    "saves automatically · come back to it whenever": FURNITURE,
    "what you walk away with": OUTCOME,
}
LABELS = {
    TAKEAWAYS: "Hold on to these",
    REFLECTION: "Reflection · write it down",
    OUTCOME: "What you walk away with",
}
PARTS = ["body", TAKEAWAYS, REFLECTION, OUTCOME]


def parse_plaintext(text: str) -> ModuleDocument:
    lines = _content_lines(text)
    if not lines:
        raise ModuleFormatError("expected 'Module N · ~M min' but the file is empty", line=1)
    number, minutes = _parse_header(lines[0])
    if len(lines) < 2:
        raise ModuleFormatError("expected the title line 'Title · Subtitle'", line=lines[0][0] + 1)
    title, subtitle = _parse_title(lines[1])
    rest = lines[2:]
    quote = ""
    if rest and (match := _QUOTE.match(rest[0][1])):
        quote, rest = match.group("text").strip(), rest[1:]
    parts = _split_parts(rest, last_line=lines[-1][0])
    activities = [
        ActivityDocument(kind=LESSON, key=LESSON, text=_body_markdown(parts["body"], after=lines[1][0])),
        ActivityDocument(kind=TAKEAWAYS, key=TAKEAWAYS, items=_takeaways(parts[TAKEAWAYS])),
        *_reflections(parts[REFLECTION]),
    ]
    return ModuleDocument(
        number=number,
        minutes=minutes,
        title=title,
        subtitle=subtitle,
        quote=quote,
        activities=activities,
        outcome=_paragraphs(parts[OUTCOME]),
    )


def _content_lines(text: str) -> list[Line]:
    text = text.lstrip("\ufeff")
    return [(number, " ".join(line.split())) for number, line in enumerate(split_lines(text), 1) if line.strip()]


def _parse_header(line: Line) -> tuple[int, int | None]:
    number, text = line
    match = _HEADER.match(text)
    if not match:
        raise ModuleFormatError(f"expected 'Module N · ~M min' but found {text[:60]!r}", line=number)
    module, minutes = _count(match.group("number"), MAX_NUMBER), _count(match.group("minutes") or "1", MAX_MINUTES)
    if module is None or minutes is None:
        message = f"expected 'Module N · ~M min' with N from 1 to {MAX_NUMBER} and M from 1 to {MAX_MINUTES}"
        raise ModuleFormatError(f"{message}, found {text[:60]!r}", line=number)
    return module, minutes if match.group("minutes") else None


def _count(digits: str, maximum: int) -> int | None:
    """The number, if it is from 1 to ``maximum`` (checked on the digits, so no huge int is built)."""
    digits = digits.lstrip("0")
    if not digits or len(digits) > len(str(maximum)) or int(digits) > maximum:
        return None
    return int(digits)


def _parse_title(line: Line) -> tuple[str, str]:
    number, text = line
    if _marker(text) or _QUOTE.match(text):
        raise ModuleFormatError(f"expected the title line 'Title · Subtitle' but found {text[:60]!r}", line=number)
    title, _, subtitle = text.partition(" · ")
    if max(len(title.strip()), len(subtitle.strip())) > MAX_TITLE_CHARS:
        raise ModuleFormatError(
            f"expected a title and subtitle of at most {MAX_TITLE_CHARS} characters each", line=number
        )
    return title.strip(), subtitle.strip()


def _marker(text: str) -> str | None:
    if _REFLECTION.match(text):
        return REFLECTION
    return MARKERS.get(text.lower())


def _split_parts(lines: list[Line], *, last_line: int) -> dict[str, list[Line]]:
    """Sort the lines after the quote into body, takeaways, reflection and outcome."""
    parts: dict[str, list[Line]] = {part: [] for part in PARTS}
    current = "body"
    for number, text in lines:
        marker = _marker(text)
        if marker is None:
            parts[current].append((number, text))
        elif marker == FURNITURE:
            if current != REFLECTION:
                raise ModuleFormatError(f"{text!r} belongs right after the reflection prompt", line=number)
        else:
            expected = PARTS[PARTS.index(current) + 1] if current != OUTCOME else None
            if marker != expected and not (marker == current == REFLECTION):
                raise ModuleFormatError(_expected_instead(expected, text), line=number)
            current = marker
            parts[current].append((number, text))  # the marker line: where (and which) part starts
    if current != OUTCOME:
        expected = PARTS[PARTS.index(current) + 1]
        raise ModuleFormatError(f"expected a line {LABELS[expected]!r} before the end of the file", line=last_line + 1)
    for part in (TAKEAWAYS, OUTCOME):
        start, *content = parts[part]
        if not content:
            raise ModuleFormatError(f"expected text after {LABELS[part]!r}", line=start[0] + 1)
        parts[part] = content
    return parts


def _reflections(lines: list[Line]) -> list[ActivityDocument]:
    """One activity per 'Reflection · write it down' part; each starts with its marker line
    (no content line matches the marker: _split_parts took every such line as one)."""
    starts = [index for index, (_, text) in enumerate(lines) if _REFLECTION.match(text)]
    reflections: list[ActivityDocument] = []
    seen: dict[str, int] = {}
    for order, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True), 1):
        number, marker = lines[start]
        content = lines[start + 1 : end]
        if not content:
            raise ModuleFormatError(f"expected text after {LABELS[REFLECTION]!r}", line=number + 1)
        explicit = _REFLECTION.match(marker).group("id")
        key = check_reflection_id(explicit, line=number) if explicit is not None else reflection_key(order)
        check_keyed_once(key, line=number, seen=seen)
        reflections.append(ActivityDocument(kind=REFLECTION, key=key, text=_paragraphs(content)))
    return reflections


def _expected_instead(expected: str | None, found: str) -> str:
    if expected is None:
        return f"found {found!r} after 'What you walk away with'; each part may appear only once"
    if expected == OUTCOME:
        return f"expected {LABELS[REFLECTION]!r} or {LABELS[OUTCOME]!r} before {found!r}"
    return f"expected {LABELS[expected]!r} before {found!r}"


def _is_heading(text: str) -> bool:
    return (
        len(text) <= _HEADING_MAX_CHARS
        and len(text.split()) <= _HEADING_MAX_WORDS
        and not text.endswith(_END_PUNCTUATION)
        and not _BULLET.match(text)
    )


def _body_markdown(lines: list[Line], *, after: int) -> str:
    if not lines:
        raise ModuleFormatError("expected the lesson text before 'Hold on to these'", line=after + 1)
    blocks = []
    for index, (number, text) in enumerate(lines):
        if _is_heading(text):
            following = lines[index + 1][1] if index + 1 < len(lines) else None
            if following is None or _is_heading(following):
                raise ModuleFormatError(
                    f"expected a paragraph after the section heading {text!r} "
                    "(a heading is a short line without end punctuation)",
                    line=number,
                )
            blocks.append("## " + escape_markdown(text))
        else:
            blocks.append(escape_markdown(text))
    return "\n\n".join(blocks)


def _takeaways(lines: Iterable[Line]) -> list[str]:
    takeaways = []
    for number, text in lines:
        match = _BULLET.match(text)
        if not match:
            raise ModuleFormatError(f"expected a takeaway line starting with '- ' but found {text[:60]!r}", line=number)
        takeaways.append(escape_markdown(match.group("text").strip()))
    return takeaways


def _paragraphs(lines: Iterable[Line]) -> str:
    return "\n\n".join(escape_markdown(text) for _, text in lines)
