"""Turning plain text into Markdown that renders as exactly that text."""

import re

# Characters with inline meaning anywhere in CommonMark; a backslash before any
# ASCII punctuation makes it literal.
_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
# '&' only matters where it would start an entity reference such as &amp;.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would turn a line into a heading, list item, quote or rule, or (':::')
# open or close a block of the canonical form.
_LINE_START = re.compile(r"^(\s*)([#>+=:-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
