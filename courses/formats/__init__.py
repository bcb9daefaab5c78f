"""Module file formats: the customer's plain text and the canonical Markdown.

Both parse into a :class:`~courses.formats.document.ModuleDocument`; the
importer only ever sees documents.
"""

from .canonical import dump_canonical, parse_canonical
from .document import ActivityDocument, ModuleDocument, ModuleFormatError
from .plaintext import parse_plaintext

__all__ = [
    "ActivityDocument",
    "ModuleDocument",
    "ModuleFormatError",
    "dump_canonical",
    "parse_canonical",
    "parse_plaintext",
    "parse_text",
]


def parse_text(text: str) -> ModuleDocument:
    """Parse either form, recognised by its first line."""
    if text.lstrip("\ufeff").startswith("---"):
        return parse_canonical(text)
    return parse_plaintext(text)
