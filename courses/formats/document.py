import hashlib
import math
import re
from dataclasses import asdict, dataclass, field

from django.utils.text import slugify

# Study reading pace and the time a learner needs to think and write an answer
# to a reflection prompt. Calibrated on Module 1: 742 words -> 8 + 5 = 13 min,
# the author's own estimate.
WORDS_PER_MINUTE = 100
MINUTES_PER_REFLECTION = 5

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


@dataclass
class ModuleDocument:
    """One lesson, independent of the file form it came from.

    ``body``, ``takeaways``, ``reflection_prompt`` and ``outcome`` are Markdown;
    ``title``, ``subtitle`` and ``quote`` are plain text.
    """

    number: int
    title: str
    subtitle: str = ""
    slug: str = ""
    minutes: int | None = None
    quote: str = ""
    body: str = ""
    takeaways: list[str] = field(default_factory=list)
    reflection_key: str = "reflection"
    reflection_prompt: str = ""
    outcome: str = ""

    def __post_init__(self) -> None:
        self.slug = self.slug or slugify(self.title)[:100] or f"module-{self.number}"

    def word_count(self) -> int:
        texts = [self.quote, self.body, *self.takeaways, self.reflection_prompt, self.outcome]
        return sum(len(_WORD.findall(text)) for text in texts)

    def estimated_minutes(self) -> int:
        """Declared minutes, else reading time at WORDS_PER_MINUTE plus writing time per reflection."""
        if self.minutes is not None:
            return self.minutes
        reflections = 1 if self.reflection_prompt else 0
        estimate = math.ceil(self.word_count() / WORDS_PER_MINUTE) + MINUTES_PER_REFLECTION * reflections
        return min(max(1, estimate), MAX_MINUTES)

    def content_hash(self) -> str:
        return hashlib.sha256(repr(sorted(asdict(self).items())).encode()).hexdigest()
