"""How deeply an author may nest quotes and lists, checked wherever Markdown is imported.

markdown-it stops reading at its ``maxNesting`` (20 token levels in the CommonMark
preset) and drops the rest without a word: text in a quote nested 21 deep vanished,
and a list nested 10 deep (a list and its item are a level each) swallowed every
block after it. Files are parsed here with room to spare (``PARSE_NESTING``) and
refused, naming the line, past ``MAX_NESTING`` quotes and lists; anything within it
renders whole (``courses.rendering`` keeps the preset's 20 levels, which even eight
nested lists in a ``:::`` block stay below).
"""

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import ModuleFormatError

MAX_NESTING = 8  # quotes and lists inside each other
PARSE_NESTING = 100  # token levels the checking parse reads; past MAX_NESTING long before it drops anything
_OPENS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open"})
_CLOSES = frozenset({"blockquote_close", "bullet_list_close", "ordered_list_close"})


def checking_parser() -> MarkdownIt:
    """A CommonMark parser that reads deep enough for :func:`check_nesting` to see every level."""
    return MarkdownIt("commonmark", {"html": False, "maxNesting": PARSE_NESTING})


def check_nesting(tokens: list[Token], *, first_line: int = 1) -> None:
    """ModuleFormatError at the first quote or list nested deeper than MAX_NESTING.

    ``first_line`` is the file line of the parsed text's first line."""
    depth = 0
    for token in tokens:
        if token.type in _OPENS:
            depth += 1
            if depth > MAX_NESTING:
                line = first_line + (token.map[0] if token.map else 0)
                message = f"expected at most {MAX_NESTING} levels of nesting (quotes and lists inside each other)"
                raise ModuleFormatError(f"{message}; found {depth} here", line=line)
        elif token.type in _CLOSES:
            depth -= 1


_CHECKER = checking_parser()


def check_markdown_nesting(text: str, *, first_line: int = 1) -> None:
    """:func:`check_nesting` for a piece of Markdown on its own (a Twee passage)."""
    check_nesting(_CHECKER.parse(text), first_line=first_line)
