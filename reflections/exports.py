"""A learner's journal as Markdown and JSON documents they can take with them.

Learner text is plain text, so each format escapes it: in Markdown every character
that Markdown would interpret is backslash-escaped, so the file renders exactly what
was typed (and no link or HTML in it ever becomes live); in JSON, ``<``, ``>`` and
``&`` are written as JSON unicode escapes, which every JSON reader turns back into the
same characters.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import User
from courses.formats.markdown_text import escape_markdown

from .models import Reflection


def _entry(reflection: Reflection) -> dict:
    module = reflection.prompt.module
    return {
        "module": {"number": module.number, "title": module.title, "subtitle": module.subtitle},
        "prompt": reflection.prompt.text,
        "prompt_id": reflection.prompt.key,
        "text": reflection.text,
        "revision": reflection.revision,
        "updated_at": reflection.updated_at.isoformat(),
    }


# '<', '>' and '&' as JSON escapes: a reader gets the same text back, and the file
# stays inert even if a browser is tricked into rendering it as HTML.
_HTML_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def inert_json(document) -> str:
    """A JSON download of learner text (the journal here, the account data export in accounts)."""
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).translate(_HTML_ESCAPES)


def journal_json(*, learner: User, reflections: list[Reflection]) -> str:
    document = {
        "learner": learner.email,
        "exported_at": timezone.now().isoformat(),
        "reflections": [_entry(reflection) for reflection in reflections],
    }
    return inert_json(document)


def journal_markdown(*, learner: User, reflections: list[Reflection]) -> str:
    """Plain Markdown; the learner's own text is kept verbatim inside each entry."""
    lines = [
        f"# My reflections — The Sales Blueprint System\n\n_{learner.email}, exported {timezone.now():%d %B %Y}_\n"
    ]
    for reflection in reflections:
        module = reflection.prompt.module
        lines.append(f"\n## Module {module.number} · {escape_markdown(module.title)}\n")
        lines.append("\n".join(f"> {line}" if line else ">" for line in reflection.prompt.text.splitlines()))
        lines.append(f"\n\n_Last saved {timezone.localtime(reflection.updated_at):%d %B %Y, %H:%M}_\n")
        lines.append(f"\n{escape_markdown(reflection.text.strip())}\n")
    return "\n".join(lines)
