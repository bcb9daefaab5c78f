import hashlib
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.text import slugify

# Study reading pace and the time a learner needs to think and write an answer
# to a reflection prompt. Calibrated on Module 1: 742 words -> 8 + 5 = 13 min,
# the author's own estimate.
WORDS_PER_MINUTE = 100
MINUTES_PER_REFLECTION = 5
# The importer warns when a module's declared minutes are further than this from the computed
# ones: more than five minutes, or more than half the computed time (and more than a minute).
ESTIMATE_OFF_MINUTES = 5
ESTIMATE_OFF_SHARE = 0.5

# What the database holds (courses.models.Module); a file beyond these gets a
# file:line error from its parser instead of a database error.
MAX_NUMBER = 999_999
MAX_MINUTES = 999
MAX_TITLE_CHARS = 200
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what Markdown counts as a line break, unlike str.splitlines()


def split_lines(text: str) -> list[str]:
    """Lines as Markdown sees them; like str.splitlines(), a final line break ends the last line."""
    lines = LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


_WORD = re.compile(r"[\w’'-]+")


class ModuleFormatError(ValueError):
    """A module file that cannot be read; says where and what was expected."""

    def __init__(self, message: str, *, line: int | None = None, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path

    def __str__(self) -> str:
        where = self.path or "<module>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


# Activity kinds the file formats write; apps register how each is shown (courses.activities).
LESSON, TAKEAWAYS, REFLECTION, PLANNER = "lesson", "takeaways", "reflection", "planner"
# Keys the page itself uses for anchors; a reflection may not take them.
RESERVED_KEYS = frozenset({LESSON, TAKEAWAYS, "outcome", "top", "content"})


KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # an activity id, as authors write it


def check_reflection_id(key: str, *, line: int, kind: str = REFLECTION) -> str:
    """An author's reflection (or planner) id, or ModuleFormatError naming the line."""
    if not KEY.match(key) or key in RESERVED_KEYS:
        reserved = ", ".join(sorted(RESERVED_KEYS))
        message = f"expected a {kind} id of lowercase letters, digits and '-' (not {reserved}), found {key[:40]!r}"
        raise ModuleFormatError(message, line=line)
    return key


def check_keyed_once(key: str, *, line: int, seen: dict[str, int]) -> None:
    """Each activity key once per module; ``seen`` maps the keys so far to their lines."""
    if key in seen:
        raise ModuleFormatError(
            f"expected each reflection and planner id once; {key!r} is also used on line {seen[key]}", line=line
        )
    seen[key] = line


def reflection_key(index: int, *, kind: str = REFLECTION) -> str:
    """The key of a reflection without an explicit id: by its order among the module's reflections.

    The first is ``reflection`` (what single-prompt modules always used), then
    ``reflection-2``, ``reflection-3``... Inserting a prompt in the middle shifts
    the keys after it, so authors who do that give explicit ids. Planners are
    keyed the same way among planners: ``planner``, ``planner-2``...
    """
    return kind if index == 1 else f"{kind}-{index}"


@dataclass
class ActivityDocument:
    """One keyed part of a module. ``text`` is Markdown; ``items`` are the takeaways
    (Markdown strings) or a planner's fields (``{"id": ..., "label": ...}``, labels plain text)."""

    kind: str
    key: str
    text: str = ""
    items: list[Any] = field(default_factory=list)


@dataclass
class ModuleDocument:
    """One lesson, independent of the file form it came from: an ordered list of activities.

    ``outcome`` is Markdown; ``title``, ``subtitle`` and ``quote`` are plain text.
    The course a module belongs to is the folder it is in (see ``courses.importer``).
    """

    number: int
    title: str
    subtitle: str = ""
    slug: str = ""
    minutes: int | None = None
    quote: str = ""
    activities: list[ActivityDocument] = field(default_factory=list)
    outcome: str = ""

    def __post_init__(self) -> None:
        self.slug = self.slug or slugify(self.title)[:100] or f"module-{self.number}"

    def of_kind(self, kind: str) -> list[ActivityDocument]:
        return [activity for activity in self.activities if activity.kind == kind]

    @property
    def body(self) -> str:
        return "\n\n".join(activity.text for activity in self.of_kind(LESSON))

    @property
    def takeaways(self) -> list[str]:
        return [item for activity in self.of_kind(TAKEAWAYS) for item in activity.items]

    @property
    def reflections(self) -> list[ActivityDocument]:
        return self.of_kind(REFLECTION)

    @property
    def reflection_key(self) -> str:
        return self.reflections[0].key if self.reflections else ""

    @property
    def reflection_prompt(self) -> str:
        return self.reflections[0].text if self.reflections else ""

    def word_count(self) -> int:
        texts = [self.quote, self.outcome, *(a.text for a in self.activities), *self.takeaways]
        return sum(len(_WORD.findall(text)) for text in texts)

    def estimated_minutes(self) -> int:
        """Declared minutes, else the computed ones."""
        return self.minutes if self.minutes is not None else self.computed_minutes()

    def computed_minutes(self) -> int:
        """Reading time at WORDS_PER_MINUTE plus writing time per reflection prompt."""
        estimate = math.ceil(self.word_count() / WORDS_PER_MINUTE) + MINUTES_PER_REFLECTION * len(self.reflections)
        return min(max(1, estimate), MAX_MINUTES)

    def estimate_warning(self) -> str | None:
        """What the importer says when the declared minutes are far from the computed ones."""
        if self.minutes is None:
            return None
        computed = self.computed_minutes()
        off = abs(self.minutes - computed)
        if off <= ESTIMATE_OFF_MINUTES and (off <= 1 or off <= ESTIMATE_OFF_SHARE * computed):
            return None
        return (
            f"module {self.number}: declares ~{self.minutes} min, but its text reads as ~{computed} min "
            f"({self.word_count()} words at {WORDS_PER_MINUTE} a minute, plus {MINUTES_PER_REFLECTION} min for "
            f"each of {len(self.reflections)} reflection prompts); check the 'minutes:' line"
        )

    def content_hash(self) -> str:
        return hashlib.sha256(repr(sorted(asdict(self).items())).encode()).hexdigest()
