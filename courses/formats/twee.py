"""Scenarios in Twee 3, the text form of Twine stories (twine-specs: twee-3-specification.md).

A scenario is a branching role-play. Authors draw it in Twine and export it as
Twee, or write it by hand, and keep the ``.twee`` file beside the modules::

    :: StoryTitle
    The discount request

    :: StoryData
    {"ifid": "0D3E...", "start": "Monday call", "module": 1}

    :: Monday call
    Markdown: what happens, what the other side says.
    [[I can do 10%->Split the difference]]
    [[Ask about the budget|Budget pressure]]

    :: Budget pressure [ending best]
    How it ended.

Links are the learner's choices, in Twine's four forms: ``[[text->Target]]``,
``[[Target<-text]]``, ``[[text|Target]]`` and ``[[Target]]``. A passage tagged
``ending`` ends a run; ``best`` marks a model ending. ``StoryData`` holds the
standard JSON plus ``"module": N`` (and ``"course": "slug"`` where there are
several courses). Story formats' macros, variables and scripts (Harlowe,
SugarCube, Snowman, Chapbook) are never run: a file using them is refused, with
the line. Every other problem (a link to no passage, a passage nothing leads to,
one from which no ending can be reached, a missing start) is refused too, so a
scenario that imports can always be played to an ending.
"""

import json
import re
import uuid
from collections import deque
from dataclasses import dataclass, field

from django.utils.text import slugify

from .document import KEY, RESERVED_KEYS, ModuleFormatError, split_lines
from .nesting import check_markdown_nesting

SCENARIO = "scenario"  # the activity kind a scenario becomes
ENDING, BEST = "ending", "best"
SPECIAL = frozenset({"StoryTitle", "StoryData"})
MAX_PASSAGES = 500
MAX_PASSAGE_CHARS = 20_000

_HEADER = re.compile(r"^::(?!:)")
# What story formats would run; the platform shows text only, so these are refused.
_HARLOWE_MACROS = (
    "set|put|move|if|unless|else-if|elseif|else|for|loop|link|link-goto|link-reveal|link-repeat|link-undo|click|"
    "click-goto|goto|go-to|print|display|either|random|history|visited|a|array|dm|datamap|ds|dataset|live|event|"
    "after|replace|append|prepend|show|hidden|hide|text-colour|text-color|colour|color|font|align|css|transition|"
    "t8n|cycling-link|seq-link|sequence-link|dropdown|input|input-box|prompt|confirm|alert|undo|redo|restart|reload|"
    "save-game|load-game|enchant|change|str|string|num|number|checkbox|meter|verbatim|cond|nth|count|range|"
    "sorted|passage|passages|storylet|open-storylets|stop|mouseover|mouseout|text-style|box|float-box|dialog"
)
# What story formats would run; the platform shows text only, so these are refused.
_CODE = [
    (re.compile(rf"\((?:{_HARLOWE_MACROS}):", re.IGNORECASE), "a Harlowe macro such as '(set:'"),
    (re.compile(r"\]<[A-Za-z_]\w*\||\|[A-Za-z_]\w*>\["), "a Harlowe named hook"),
    (re.compile(r"<<"), "a SugarCube macro ('<<')"),
    (re.compile(r"<%"), "a Snowman template ('<%')"),
    (re.compile(r"(?<![\w\\])\$[A-Za-z_]"), "a story variable ('$name')"),
    (re.compile(r"\{(?:embed|reveal|back|restart|cycling|dropdown|text input|link to)\b"), "a Chapbook insert"),
    (re.compile(r"<script\b|<style\b", re.IGNORECASE), "a script or style element"),
]
_LINK = re.compile(r"\[\[(.*?)\]\]")


@dataclass(frozen=True)
class Link:
    text: str
    target: str
    line: int = 0


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str  # the passage's Markdown, with its links taken out (they are the choices)
    links: list[Link]
    line: int  # of the header

    @property
    def is_ending(self) -> bool:
        return ENDING in self.tags

    @property
    def is_best(self) -> bool:
        return BEST in self.tags


@dataclass
class ScenarioDocument:
    title: str
    ifid: str
    start: str
    module: int
    course: str = ""
    passages: list[Passage] = field(default_factory=list)
    path: str = ""
    module_line: int = 1  # where StoryData names the module, for errors about it

    @property
    def key(self) -> str:
        """The activity key: from the title, so a run's address reads well; stable while the title is."""
        return slugify(self.title)[:64].strip("-") or SCENARIO

    def passage(self, name: str) -> Passage:
        return next(p for p in self.passages if p.name == name)

    def items(self) -> list[dict]:
        """The passages as stored on the activity, the start first (line numbers are not content)."""
        ordered = sorted(self.passages, key=lambda p: p.name != self.start)
        return [
            {
                "name": p.name,
                "tags": p.tags,
                "text": p.text,
                "links": [{"text": link.text, "target": link.target} for link in p.links],
            }
            for p in ordered
        ]


def parse_twee(text: str) -> ScenarioDocument:
    """A scenario from Twee 3 source, checked to be playable; ModuleFormatError names the line otherwise."""
    lines = split_lines(text.lstrip("\ufeff"))
    raw = _passages(lines)
    by_name: dict[str, tuple[str, list[str], list[str], int]] = {}
    for name, tags, content, line in raw:
        if name in by_name:
            message = f"expected each passage name once; {name!r} is also the passage on line {by_name[name][3]}"
            raise ModuleFormatError(message, line=line)
        by_name[name] = (name, tags, content, line)
    title = _title(by_name.get("StoryTitle"))
    data = _story_data(by_name.get("StoryData"))
    passages = [_passage(*entry) for name, entry in by_name.items() if name not in SPECIAL]
    if not passages:
        raise ModuleFormatError("expected at least one passage besides StoryTitle and StoryData", line=len(lines) + 1)
    if len(passages) > MAX_PASSAGES:
        raise ModuleFormatError(f"expected at most {MAX_PASSAGES} passages, found {len(passages)}", line=1)
    start = _start(data, by_name)
    document = ScenarioDocument(
        title=title,
        ifid=data["ifid"],
        start=start,
        module=data["module"],
        course=data.get("course", ""),
        passages=passages,
        module_line=data["_lines"].get("module", data["_line"]),
    )
    if not KEY.match(document.key) or document.key in RESERVED_KEYS:
        raise ModuleFormatError(f"expected a StoryTitle that makes an id; {title!r} gives {document.key!r}", line=1)
    _check_graph(document)
    return document


def _passages(lines: list[str]) -> list[tuple[str, list[str], list[str], int]]:
    """Each passage as (name, tags, content lines, header line)."""
    passages: list[tuple[str, list[str], list[str], int]] = []
    for number, line in enumerate(lines, 1):
        if _HEADER.match(line):
            name, tags = _header(line, number)
            passages.append((name, tags, [], number))
        elif passages:
            passages[-1][2].append(line[1:] if line.startswith("\\::") else line)
        elif line.strip():
            raise ModuleFormatError(
                f"expected a passage header ':: Name' before any text, found {line[:40]!r}", line=number
            )
    if not passages:
        raise ModuleFormatError("expected Twee passages, each starting with a ':: Name' line", line=1)
    return passages


def _unescape(chunk: str) -> str:
    return re.sub(r"\\(.)", r"\1", chunk)


def _header(line: str, number: int) -> tuple[str, list[str]]:
    """Name and tags of a ':: Name [tags] {metadata}' line; the metadata (map positions) is checked, not kept."""
    rest = line[2:].strip()
    match = re.match(r"((?:\\.|[^\\\[\]{}])*)(.*)$", rest)
    name, rest = _unescape(match.group(1)).strip(), match.group(2).strip()
    if not name:
        raise ModuleFormatError("expected a passage name after '::'", line=number)
    tags: list[str] = []
    if rest.startswith("["):
        block = re.match(r"\[((?:\\.|[^\\\]])*)\]", rest)
        if block is None:
            raise ModuleFormatError(f"expected ']' to close the tags of passage {name!r}", line=number)
        tags = [_unescape(tag) for tag in block.group(1).split()]
        rest = rest[block.end() :].strip()
    if rest.startswith("{"):
        try:
            metadata = json.loads(rest)
        except ValueError:
            metadata = None
        if not isinstance(metadata, dict):
            raise ModuleFormatError(f"expected the metadata of passage {name!r} as a JSON object", line=number)
    elif rest:
        message = f"expected '[tags]' or '{{metadata}}' after the passage name {name!r}, found {rest[:40]!r}"
        raise ModuleFormatError(message, line=number)
    return name, tags


def _trimmed(content: list[str]) -> list[str]:
    """Trailing blank lines are not content (the spec)."""
    end = len(content)
    while end and not content[end - 1].strip():
        end -= 1
    return content[:end]


def _title(entry) -> str:
    if entry is None:
        raise ModuleFormatError("expected a ':: StoryTitle' passage naming the scenario", line=1)
    _, _, content, line = entry
    title = " ".join(part.strip() for part in _trimmed(content)).strip()
    if not title:
        raise ModuleFormatError("expected the scenario's title under ':: StoryTitle'", line=line)
    if len(title) > 200:
        raise ModuleFormatError("expected a StoryTitle of at most 200 characters", line=line + 1)
    return title


def _story_data(entry) -> dict:
    if entry is None:
        raise ModuleFormatError("expected a ':: StoryData' passage with the scenario's JSON (ifid, module)", line=1)
    _, _, content, line = entry
    source = "\n".join(content)
    try:
        data = json.loads(source)
    except ValueError as error:
        where = line + getattr(error, "lineno", 1)
        raise ModuleFormatError(f"expected StoryData to be JSON: {getattr(error, 'msg', error)}", line=where) from None
    if not isinstance(data, dict):
        raise ModuleFormatError("expected StoryData to be a JSON object", line=line + 1)
    lines = {key: line + 1 + index for index, text in enumerate(content) for key in data if f'"{key}"' in text}
    data["_line"], data["_lines"] = line, lines
    try:
        uuid.UUID(str(data.get("ifid", "")))
    except ValueError:
        where = lines.get("ifid", line + 1)
        raise ModuleFormatError("expected StoryData 'ifid' to be a UUID (Twine writes one)", line=where) from None
    module = data.get("module")
    if not isinstance(module, int) or isinstance(module, bool) or module < 1:
        where = lines.get("module", line + 1)
        raise ModuleFormatError("expected StoryData 'module' to be the number of the module it belongs to", line=where)
    if "course" in data and (not isinstance(data["course"], str) or not KEY.match(data["course"])):
        raise ModuleFormatError("expected StoryData 'course' to be a course slug", line=lines.get("course", line + 1))
    if "start" in data and not isinstance(data["start"], str):
        raise ModuleFormatError("expected StoryData 'start' to be a passage name", line=lines.get("start", line + 1))
    return data


def _start(data: dict, by_name: dict) -> str:
    start = data.get("start", "Start")
    if start in by_name and start not in SPECIAL:
        return start
    where = data["_lines"].get("start", data["_line"])
    if "start" in data:
        raise ModuleFormatError(
            f"expected StoryData 'start' to name a passage; there is no passage {start!r}", line=where
        )
    raise ModuleFormatError(
        "expected StoryData 'start' naming the first passage (or a passage named 'Start')", line=where
    )


def _passage(name: str, tags: list[str], content: list[str], line: int) -> Passage:
    if "script" in tags or "stylesheet" in tags:
        kind = "script" if "script" in tags else "stylesheet"
        message = f"passage {name!r} is a {kind}; scenarios are text and choices, and nothing in them is run"
        raise ModuleFormatError(message, line=line)
    if BEST in tags and ENDING not in tags:
        raise ModuleFormatError(f"passage {name!r} is tagged 'best' but not 'ending'", line=line)
    content = _trimmed(content)
    check_markdown_nesting("\n".join(content), first_line=line + 1)
    links: list[Link] = []
    shown: list[str] = []
    for offset, text in enumerate(content, 1):
        _refuse_code(text, line + offset)
        found = [_link(match.group(1), line + offset) for match in _LINK.finditer(text)]
        links.extend(found)
        rest = _LINK.sub(lambda m: _link(m.group(1), 0).text, text)
        if not (found and not _LINK.sub("", text).strip()):  # a line of links only is the choices, not text
            shown.append(rest)
    text = "\n".join(shown).strip()
    if len(text) > MAX_PASSAGE_CHARS:
        raise ModuleFormatError(f"expected passage {name!r} of at most {MAX_PASSAGE_CHARS} characters", line=line)
    return Passage(name=name, tags=tags, text=text, links=links, line=line)


def _refuse_code(text: str, line: int) -> None:
    for pattern, what in _CODE:
        if pattern.search(text):
            message = f"found {what}; scenarios are shown as text and choices, and story-format code is never run"
            raise ModuleFormatError(message, line=line)


def _link(inner: str, line: int) -> Link:
    """Twine's reading of a link: the rightmost '->', else the leftmost '<-', else the rightmost '|'."""
    if "->" in inner:
        text, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, text = inner.split("<-", 1)
    elif "|" in inner:
        text, target = inner.rsplit("|", 1)
    else:
        text = target = inner
    text, target = text.strip(), target.strip()
    if not target:
        raise ModuleFormatError(f"expected a passage name in the link [[{inner[:40]}]]", line=line)
    return Link(text=text or target, target=target, line=line)


def _check_graph(document: ScenarioDocument) -> None:
    """Every link leads somewhere, every passage is reached, and from every passage an ending can be reached."""
    names = {p.name: p for p in document.passages}
    for passage in document.passages:
        for link in passage.links:
            if link.target not in names:
                raise ModuleFormatError(f"expected a passage named {link.target!r} for this link", line=link.line)
        if passage.is_ending and passage.links:
            message = f"passage {passage.name!r} is an ending, so it offers no choices; remove its links"
            raise ModuleFormatError(message, line=passage.links[0].line)
        if not passage.is_ending and not passage.links:
            message = f"passage {passage.name!r} is a dead end: expected a choice ([[link]]) or the tag 'ending'"
            raise ModuleFormatError(message, line=passage.line)
    reached = reachable(document.start, {name: [link.target for link in p.links] for name, p in names.items()})
    for passage in document.passages:
        if passage.name not in reached:
            raise ModuleFormatError(f"no path from the start reaches passage {passage.name!r}", line=passage.line)
    to_ending = passage_distances(document.items(), is_goal=lambda p: ENDING in p["tags"])
    for passage in document.passages:
        if passage.name not in to_ending:
            message = f"no ending can be reached from passage {passage.name!r} (its choices only loop back)"
            raise ModuleFormatError(message, line=passage.line)


def reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for target in edges.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def passage_distances(passages: list[dict], *, is_goal) -> dict[str, int]:
    """The fewest choices from each passage (as stored: ``ScenarioDocument.items()``, ``Activity.items``)
    to a goal passage; a passage absent from the result reaches none."""
    incoming: dict[str, list[str]] = {p["name"]: [] for p in passages}
    for p in passages:
        for link in p["links"]:
            incoming.setdefault(link["target"], []).append(p["name"])
    distance = {p["name"]: 0 for p in passages if is_goal(p)}
    queue = deque(distance)
    while queue:
        name = queue.popleft()
        for source in incoming.get(name, []):
            if source not in distance:
                distance[source] = distance[name] + 1
                queue.append(source)
    return distance


def dump_twee(*, title: str, ifid: str, start: str, module: int, course: str, passages: list[dict]) -> str:
    """A scenario as stored, written back as Twee 3 (the exporter's form; links on their own lines)."""
    data = {"ifid": ifid, "start": start, "module": module, **({"course": course} if course else {})}

    def escape(text: str) -> str:
        return re.sub(r"([\\\[\]{}])", r"\\\1", text)

    parts = [f":: StoryTitle\n{title}\n", f":: StoryData\n{json.dumps(data, indent=2)}\n"]
    for p in passages:
        tags = f" [{' '.join(escape(t) for t in p['tags'])}]" if p["tags"] else ""
        body = "\n".join("\\" + line if line.startswith("::") else line for line in p["text"].split("\n"))
        links = "".join(
            f"\n[[{link['target']}]]" if link["text"] == link["target"] else f"\n[[{link['text']}->{link['target']}]]"
            for link in p["links"]
        )
        parts.append(f":: {escape(p['name'])}{tags}\n{body}\n{links}\n")
    return "\n".join(parts)
