"""Pages drawn once and filled in for each request.

Most of a module page is the same for every signed-in learner: the site's header
and footer, the lesson, the outline, the outcome, the links to the neighbouring
modules, each activity's heading and prompt. A template marks what is not with
``{% slot %}...{% endslot %}`` (inside each activity the learner's box, card or
role-play state; progress, CSRF tokens, messages). :func:`draw` renders the page
once with no learner at all: each slot leaves a mark and keeps its nodes, and the
frame is a template of the finished text and the slots' nodes. A slot drawn inside
a loop, an include or a ``{% with %}`` also keeps the names in scope where it
stands (:class:`ScopedSlot`). Rendered for a request like any loaded template
(context processors included), the frame draws only the slots. The module page's
frame is kept per lesson, content version and language (courses.views).

Nothing of a learner can reach a frame: it is drawn from a plain context holding
what the caller passes (the lesson) and a stand-in for "some signed-in learner",
which has no id, name or token. Outside a frame, ``{% slot %}`` renders its
content as if it were not there, so the same templates serve every other page.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.backends.django import Template as LoadedTemplate
from django.template.base import Node, NodeList, Template, TextNode
from django.template.loader import get_template

FRAME = "frame_slots"  # the context variable that holds a frame's slots while it is drawn
MARK = re.compile("\x00slot(\\d+)\x00")


class SignedIn:
    """Whoever is signed in, while a frame is drawn: ``user.is_authenticated`` and nothing else."""

    is_authenticated = True


@dataclass
class Slot:
    """A slot's nodes, and the names in scope where it stands as the frame was drawn (none at the
    page's top level; a loop's item, an include's arguments, ``{% with %}`` names inside them)."""

    nodelist: NodeList
    scope: dict[str, Any]


class ScopedSlot(Node):
    """A slot drawn inside a loop, an include or a ``{% with %}``: its nodes, rendered for each
    request with the names that were in scope there."""

    child_nodelists = ("nodelist",)

    def __init__(self, slot: Slot) -> None:
        self.nodelist, self.scope = slot.nodelist, slot.scope

    def render(self, context) -> str:
        with context.push(self.scope):
            return self.nodelist.render(context)


def draw(template_name: str, context: dict) -> LoadedTemplate:
    """``template_name`` rendered once with ``context`` (nothing of a learner), as a template of
    its finished text and its slots; rendered like any loaded template, for signed-in requests."""
    loaded = get_template(template_name)
    slots: list[Slot] = []
    html = loaded.template.render(Context({**context, "user": SignedIn(), FRAME: slots}))
    nodes = NodeList()
    for place, piece in enumerate(MARK.split(html)):  # text at even places, slot numbers between
        if place % 2:
            slot = slots[int(piece)]
            if slot.scope:
                nodes.append(ScopedSlot(slot))
            else:
                nodes.extend(slot.nodelist)
        elif piece:
            nodes.append(TextNode(piece))
    frame = Template("", origin=loaded.origin, name=loaded.template.name, engine=loaded.template.engine)
    frame.nodelist = nodes
    return LoadedTemplate(frame, loaded.backend)
