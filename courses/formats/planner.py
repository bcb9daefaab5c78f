"""A planner block of the canonical form: a worksheet of named fields the learner fills in.

::: planner next-negotiation
## Plan your next negotiation

What the worksheet is for, in Markdown.

- counterpart: Who is across the table, and what do they answer for?
- opening: Your opening line
:::

The '## ' line is the planner's title (plain text); the block's last bullet list
declares its fields, one 'field-id: Label' per item (labels are plain text). A
field id keeps a learner's answer attached when the label is reworded.
"""

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import KEY, MAX_TITLE_CHARS, ModuleFormatError

MAX_FIELDS = 20
# A field's id names its answer's address (reflections/ID/FIELD/history/) and its anchor on the page.
RESERVED_FIELD_IDS = frozenset({"history", "main", "content", "top"})
MAX_LABEL_CHARS = 300
_TITLE = re.compile(r"^## +(?P<title>\S.*?)(?:\s+#+)?\s*$")
_FIELD = re.compile(r"^(?P<id>[^:\s]*)\s*:\s*(?P<label>\S.*)$", re.DOTALL)
_MD = MarkdownIt("commonmark", {"html": False})


def planner_parts(content: str, *, line: int) -> tuple[str, list[dict[str, Any]]]:
    """The intro (Markdown, opening with its '## Title' line) and the declared fields.

    ``content`` is the block's text as in the file; its first line is line ``line + 1``.
    """
    lines = content.split("\n")
    first = next((i for i, text in enumerate(lines) if text.strip()), 0)
    title = _TITLE.match(lines[first].strip())
    if title is None:
        raise ModuleFormatError("expected the planner to open with its title, a '## Title' line", line=line + 1 + first)
    if len(title["title"]) > MAX_TITLE_CHARS:
        raise ModuleFormatError(
            f"expected a planner title of at most {MAX_TITLE_CHARS} characters", line=line + 1 + first
        )
    tokens = _MD.parse(content)
    top = [token for token in tokens if token.level == 0 and token.nesting != -1]
    if not top or top[-1].type != "bullet_list_open" or top[-1] is top[0]:
        message = "expected the planner's fields as a '- field-id: Label' list at the end of the block, after its title"
        raise ModuleFormatError(message, line=line)
    list_start = top[-1].map[0] if top[-1].map else 0
    intro = "\n".join(lines[:list_start]).strip()
    return intro, _fields(tokens[tokens.index(top[-1]) :], first_line=line + 1)


def planner_title(intro: str) -> str:
    """The title of a planner whose intro (as ``planner_parts`` returns it) opens with '## Title'."""
    match = _TITLE.match(intro.split("\n", 1)[0].strip())
    return match["title"] if match else ""


def _fields(tokens: list[Token], *, first_line: int) -> list[dict[str, Any]]:
    """The list's items as fields: each one paragraph, 'field-id: Label'; no nested lists."""
    nested = next((t for t in tokens if t.type in ("bullet_list_open", "ordered_list_open") and t.level > 0), None)
    if nested is not None:
        message = "expected one level of '- ' fields; this list is nested"
        raise ModuleFormatError(message, line=_line(nested, first_line))
    fields: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "list_item_open":
            continue
        at = _line(token, first_line)
        one_paragraph = tokens[index + 1].type == "paragraph_open" and tokens[index + 4].type == "list_item_close"
        if not one_paragraph:
            raise ModuleFormatError("expected each field to be one '- field-id: Label' line", line=at)
        fields.append(_field(tokens[index + 2].content, line=at, seen=seen))
    if len(fields) > MAX_FIELDS:
        raise ModuleFormatError(f"expected at most {MAX_FIELDS} fields in a planner", line=first_line - 1)
    return fields


def _field(text: str, *, line: int, seen: dict[str, int]) -> dict[str, Any]:
    match = _FIELD.match(text.strip())
    if match is None:
        raise ModuleFormatError(f"expected a field as 'field-id: Label', found {text.strip()[:40]!r}", line=line)
    field_id, label = match["id"], " ".join(match["label"].split())
    if not KEY.match(field_id) or field_id in RESERVED_FIELD_IDS:
        reserved = ", ".join(sorted(RESERVED_FIELD_IDS))
        message = f"expected a field id of lowercase letters, digits and '-' (not {reserved}), found {field_id[:40]!r}"
        raise ModuleFormatError(message, line=line)
    if field_id in seen:
        raise ModuleFormatError(
            f"expected each field id once in a planner; {field_id!r} is also used on line {seen[field_id]}", line=line
        )
    if len(label) > MAX_LABEL_CHARS:
        raise ModuleFormatError(f"expected a field label of at most {MAX_LABEL_CHARS} characters", line=line)
    seen[field_id] = line
    return {"id": field_id, "label": label}


def _line(token: Token, first_line: int) -> int:
    return first_line + (token.map[0] if token.map else 0)
