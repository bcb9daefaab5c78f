"""The canonical Markdown form that authors keep in git.

---
number: 1
slug: what-negotiation-actually-is        (optional, from the title)
title: What Negotiation Actually Is
subtitle: Mutual Value Creation           (optional)
minutes: 13                               (optional, else estimated)
quote: Negotiation is not a battle. ...   (optional, plain text)
---

Lesson text in Markdown; sections start with '## Heading'.

::: takeaways
- One takeaway per bullet.
:::

::: reflection positions-and-interests    (the id keeps learners' text attached)
The prompt, in Markdown.
:::

::: reflection                            (more prompts; without an id, keyed by order:
A second prompt.                           reflection, reflection-2, ...)
:::

::: planner next-negotiation              (optional worksheets, keyed like reflections)
## Plan your next negotiation             (its title: a '## ' line, plain text)

What the worksheet is for, in Markdown.

- counterpart: Who is across the table?   (its fields, the block's last list:
- opening: Your opening line               'field-id: Label', labels plain text)
:::

::: outcome
What the learner walks away with.
:::
"""

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .document import (
    KEY,
    LESSON,
    MAX_MINUTES,
    MAX_NUMBER,
    MAX_TITLE_CHARS,
    PLANNER,
    REFLECTION,
    TAKEAWAYS,
    ActivityDocument,
    ModuleDocument,
    ModuleFormatError,
    check_keyed_once,
    check_reflection_id,
    reflection_key,
    split_lines,
)
from .nesting import check_nesting, checking_parser
from .planner import planner_parts
from .yaml_mapping import key_lines, load_yaml_mapping

BLOCKS = ("takeaways", "reflection", "outcome")  # every module has these
REPEATABLE = (REFLECTION, PLANNER)
FIELDS = {"number", "slug", "title", "subtitle", "minutes", "quote"}
Block = tuple[str, str, str, int]  # name, param, content, line


def _parser() -> MarkdownIt:
    md = checking_parser().use(front_matter_plugin)
    for name in (*BLOCKS, PLANNER):
        md.use(container_plugin, name=name)
    return md


_MD = _parser()


def parse_canonical(text: str) -> ModuleDocument:
    text = text.lstrip("\ufeff")
    lines = split_lines(text)
    tokens = _MD.parse(text)
    check_nesting(tokens)
    if not tokens or tokens[0].type != "front_matter":
        if lines and lines[0].rstrip() == "---":
            raise ModuleFormatError("expected a '---' line to close the front matter opened here", line=1)
        raise ModuleFormatError("expected front matter starting with '---' on the first line", line=1)
    meta = _front_matter(tokens[0])
    body_end, blocks = _blocks(tokens[1:], lines)
    body_start = tokens[0].map[1] if tokens[0].map else 0
    body = "\n".join(lines[body_start:body_end]).strip()
    if not body:
        raise ModuleFormatError("expected the lesson text after the front matter", line=body_start + 1)
    activities = [ActivityDocument(kind=LESSON, key=LESSON, text=body), *_activities(blocks)]
    outcome = next(content.strip() for name, _, content, _ in blocks if name == "outcome")
    return ModuleDocument(**meta, activities=activities, outcome=outcome)


def _activities(blocks: list[Block]) -> list[ActivityDocument]:
    """The takeaways, reflection and planner blocks as activities, in file order, each keyed once."""
    activities: list[ActivityDocument] = []
    seen: dict[str, int] = {}
    for name, param, content, line in blocks:
        if name == TAKEAWAYS:
            activity = ActivityDocument(kind=TAKEAWAYS, key=TAKEAWAYS, items=_takeaways(param, content.strip(), line))
        elif name in REPEATABLE:
            key = param or reflection_key(sum(a.kind == name for a in activities) + 1, kind=name)
            activity = ActivityDocument(kind=name, key=key, text=content.strip())
            if name == PLANNER:
                activity.text, activity.items = planner_parts(content, line=line)
        else:
            continue
        check_keyed_once(activity.key, line=line, seen=seen)
        activities.append(activity)
    return activities


def _front_matter(token: Token) -> dict:
    meta = load_yaml_mapping(token.content, first_line=2, what="front matter")
    line_of = key_lines(token.content, first_line=2, what="front matter")
    if unknown := sorted(set(meta) - FIELDS):
        raise ModuleFormatError(
            f"unknown front matter key {unknown[0]!r}; expected one of {', '.join(sorted(FIELDS))}",
            line=line_of.get(unknown[0], 2),
        )
    _check_counts(meta, line_of)
    _check_texts(meta, line_of)
    return {name: value.strip() if isinstance(value, str) else value for name, value in meta.items()}


def _check_counts(meta: dict, line_of: dict[str, int]) -> None:
    if not _is_count(meta.get("number"), MAX_NUMBER):
        raise ModuleFormatError(
            f"expected front matter 'number:' with a whole number from 1 to {MAX_NUMBER}", line=line_of.get("number", 2)
        )
    if "minutes" in meta and not _is_count(meta["minutes"], MAX_MINUTES):
        message = f"expected 'minutes:' to be a whole number from 1 to {MAX_MINUTES}"
        raise ModuleFormatError(message, line=line_of["minutes"])


def _check_texts(meta: dict, line_of: dict[str, int]) -> None:
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        raise ModuleFormatError("expected front matter 'title:' with the module's title", line=line_of.get("title", 2))
    for name in ("slug", "subtitle", "quote"):
        if name in meta and not isinstance(meta[name], str):
            raise ModuleFormatError(f"expected '{name}:' to be text", line=line_of[name])
    for name in ("title", "subtitle"):
        if len(meta.get(name, "").strip()) > MAX_TITLE_CHARS:
            raise ModuleFormatError(f"expected '{name}:' of at most {MAX_TITLE_CHARS} characters", line=line_of[name])
    if "slug" in meta and not KEY.match(meta["slug"]):
        raise ModuleFormatError("expected 'slug:' of lowercase letters, digits and '-'", line=line_of["slug"])


def _is_count(value: object, maximum: int) -> bool:
    """A whole number from 1 to ``maximum``; YAML's true/false are ints in Python but not numbers here."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= maximum


def _blocks(tokens: list[Token], lines: list[str]) -> tuple[int, list[Block]]:
    """Find the ::: blocks; returns where the lesson text ends and each block's (name, param, content, line)."""
    blocks: list[Block] = []
    body_end = len(lines)
    for token in tokens:
        if token.level != 0 or token.nesting == -1 or not token.map:
            continue
        start, end = token.map
        name = token.type.removeprefix("container_").removesuffix("_open")
        if token.type.startswith("container_"):
            _check_block(name, blocks, lines, start, end)
            content = "\n".join(lines[start + 1 : end])  # unstripped: line i of it is line start + 2 + i
            blocks.append((name, _block_param(token, name, start), content, start + 1))
            body_end = min(body_end, start)
        elif blocks or lines[start].lstrip().startswith(":::"):
            raise ModuleFormatError(_stray_text_message(lines[start]), line=start + 1)
    if missing := [name for name in BLOCKS if name not in {block[0] for block in blocks}]:
        raise ModuleFormatError(f"expected a '::: {missing[0]}' block", line=len(lines) + 1)
    return body_end, blocks


def _check_block(name: str, blocks: list[Block], lines: list[str], start: int, end: int) -> None:
    if name not in REPEATABLE and name in {block[0] for block in blocks}:
        raise ModuleFormatError(f"expected one '::: {name}' block, found a second", line=start + 1)
    # The closing ':::' is the line after the block's map; an unclosed block runs to the end of the file.
    # Blocks do not nest, so a ':::' line inside this one means it was not closed before the next began.
    unclosed = any(line.lstrip().startswith(":::") for line in lines[start + 1 : end])
    if unclosed or end >= len(lines) or not lines[end].strip().startswith(":::"):
        raise ModuleFormatError(f"expected ':::' to close the '::: {name}' block opened here", line=start + 1)
    if not "\n".join(lines[start + 1 : end]).strip():
        raise ModuleFormatError(f"expected text inside the '::: {name}' block", line=start + 1)


def _block_param(token: Token, name: str, line: int) -> str:
    param = token.info.strip().removeprefix(name).strip()
    if name not in REPEATABLE:
        return param
    return check_reflection_id(param, line=line + 1, kind=name) if param else ""


def _stray_text_message(line: str) -> str:
    if line.lstrip().startswith(":::"):
        expected = "'::: takeaways', '::: reflection ID', '::: planner ID' or '::: outcome'"
        return f"expected {expected}, found {line.strip()[:40]!r}"
    return "expected the lesson text before the ::: blocks; found text after them"


def _takeaways(_param: str, content: str, line: int) -> list[str]:
    """One takeaway per '- ' item, each a single paragraph; nothing else in the block."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(content)
    if any(t.level == 0 and t.type not in ("bullet_list_open", "bullet_list_close") for t in tokens):
        raise ModuleFormatError("expected the takeaways as a '- ' bullet list", line=line)
    if any(t.type in ("bullet_list_open", "ordered_list_open") and t.level > 0 for t in tokens):
        raise ModuleFormatError("expected one level of '- ' takeaways; this block has a nested list", line=line)
    items = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "paragraph_open" and t.level == 2]
    if not items or len(items) != sum(t.type == "list_item_open" for t in tokens):
        raise ModuleFormatError("expected each takeaway to be one '- ' line (or one paragraph)", line=line)
    return items


def dump_canonical(document: ModuleDocument) -> str:
    meta = {"number": document.number, "slug": document.slug, "title": document.title}
    if document.subtitle:
        meta["subtitle"] = document.subtitle
    if document.minutes is not None:
        meta["minutes"] = document.minutes
    if document.quote:
        meta["quote"] = document.quote
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000)
    blocks = [_dump_block(activity) for activity in document.activities if activity.kind != LESSON]
    return (
        f"---\n{front}---\n\n{document.body.strip()}\n\n"
        + "".join(blocks)
        + f"::: outcome\n{document.outcome.strip()}\n:::\n"
    )


def _dump_block(activity: ActivityDocument) -> str:
    if activity.kind == TAKEAWAYS:
        items = "\n".join(f"- {item}" for item in activity.items)
        return f"::: takeaways\n{items}\n:::\n\n"
    if activity.kind == PLANNER:
        fields = "\n".join(f"- {item['id']}: {item['label']}" for item in activity.items)
        return f"::: planner {activity.key}\n{activity.text.strip()}\n\n{fields}\n:::\n\n"
    return f"::: {activity.kind} {activity.key}\n{activity.text.strip()}\n:::\n\n"
