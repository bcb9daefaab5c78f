"""A learner's journal as Markdown and JSON documents they can take with them."""

import json

from django.utils import timezone

from accounts.models import User

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


def journal_json(*, learner: User, reflections: list[Reflection]) -> str:
    document = {
        "learner": learner.email,
        "exported_at": timezone.now().isoformat(),
        "reflections": [_entry(reflection) for reflection in reflections],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def journal_markdown(*, learner: User, reflections: list[Reflection]) -> str:
    """Plain Markdown; the learner's own text is kept verbatim inside each entry."""
    lines = [
        f"# My reflections — The Sales Blueprint System\n\n_{learner.email}, exported {timezone.now():%d %B %Y}_\n"
    ]
    for reflection in reflections:
        module = reflection.prompt.module
        lines.append(f"\n## Module {module.number} · {module.title}\n")
        lines.append("\n".join(f"> {line}" if line else ">" for line in reflection.prompt.text.splitlines()))
        lines.append(f"\n\n_Last saved {timezone.localtime(reflection.updated_at):%d %B %Y, %H:%M}_\n")
        lines.append(f"\n{reflection.text.strip()}\n")
    return "\n".join(lines)
