"""A learner's journal as Markdown and JSON documents they can take with them.

Learner text is plain text, so each format escapes it: in Markdown every character
that Markdown would interpret is backslash-escaped, so the file renders exactly what
was typed (and no link or HTML in it ever becomes live); in JSON, ``<``, ``>`` and
``&`` are written as JSON unicode escapes, which every JSON reader turns back into the
same characters.
"""

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.learners import inert_json
from accounts.models import User
from courses.formats.markdown_text import escape_markdown

from .models import Reflection, ReflectionVersion
from .planners import in_declared_order
from .selectors import journal_for


def _entry(reflection: Reflection) -> dict[str, Any]:
    """One reflection under its course, module and prompt: the one record shape of every download.

    A planner field's answer names the planner (``prompt``, ``prompt_id``) and the field."""
    activity = reflection.activity
    module = activity.module
    planner = {"field": reflection.field, "field_label": reflection.field_label} if reflection.field else {}
    return {
        "course": {"slug": module.course.slug, "title": module.course.title},
        "module": {"number": module.number, "title": module.title, "subtitle": module.subtitle},
        "kind": activity.kind,
        "prompt": activity.text,
        "prompt_id": activity.key,
        **planner,
        "text": reflection.text,
        "revision": reflection.revision,
        "created_at": reflection.created_at.isoformat(),
        "updated_at": reflection.updated_at.isoformat(),
    }


def reflections_export(*, learner: User) -> list[dict[str, Any]]:
    """The learner's part of "Download my data": every reflection with every version, in two queries."""
    versions = Prefetch("versions", queryset=ReflectionVersion.objects.order_by("started_at", "pk"))
    reflections = in_declared_order(journal_for(viewer=learner, learner=learner).prefetch_related(versions))
    return [
        {
            **_entry(reflection),
            "versions": [
                {"text": v.text, "revision": v.revision, "started_at": v.started_at, "saved_at": v.saved_at}
                for v in reflection.versions.all()
            ],
            "shared_with_coaches_at": reflection.shared_at,
            "follow_ups": [
                {"question": f.question, "text": f.text, "written_at": f.created_at}
                for f in reflection.follow_ups.all()
            ],
            "feedback": [
                {"from": note.author_name, "text": note.text, "written_at": note.created_at}
                for note in reflection.feedback.all()
            ],
        }
        for reflection in reflections
    ]


def journal_json(*, learner: User, reflections: list[Reflection]) -> str:
    document = {
        "learner": learner.email,
        "exported_at": timezone.now().isoformat(),
        "reflections": [_entry(reflection) for reflection in reflections],
    }
    return inert_json(document)


def journal_markdown(*, learner: User, reflections: list[Reflection]) -> str:
    """Plain Markdown; the learner's own text is kept verbatim inside each entry."""
    lines = [f"# My reflections\n\n_{learner.email}, exported {timezone.now():%d %B %Y}_\n"]
    course = None
    for reflection in reflections:
        module = reflection.activity.module
        if module.course_id != course:
            course = module.course_id
            lines.append(f"\n# {escape_markdown(module.course.title)}\n")
        lines.append(f"\n## Module {module.number} · {escape_markdown(module.title)}\n")
        if reflection.field:
            title, label = escape_markdown(reflection.planner_title), escape_markdown(reflection.field_label)
            lines.append(f"**{title}** · {label} (`{reflection.field}`)")
        else:
            lines.append("\n".join(f"> {line}" if line else ">" for line in reflection.activity.text.splitlines()))
        lines.append(f"\n\n_Last saved {timezone.localtime(reflection.updated_at):%d %B %Y, %H:%M}_\n")
        lines.append(f"\n{escape_markdown(reflection.text.strip())}\n")
    return "\n".join(lines)
