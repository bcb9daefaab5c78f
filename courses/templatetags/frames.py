"""``{% slot %}...{% endslot %}``: the part of a page that is drawn for each request when the page
is served from a frame (courses.frames); anywhere else it renders its content as usual."""

from django import template
from django.template.base import Node

from courses.frames import FRAME, Slot

register = template.Library()


class SlotNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        slots = context.get(FRAME)
        if slots is None:
            return self.nodelist.render(context)
        # What is in scope here, beneath the frame's own context (a loop's item, an include's
        # arguments, {% with %} names): drawn with no learner, it is the same for every request.
        root = next(place for place, names in enumerate(context.dicts) if FRAME in names)
        scope = {name: value for names in context.dicts[root + 1 :] for name, value in names.items()}
        slots.append(Slot(self.nodelist, scope))
        return f"\x00slot{len(slots) - 1}\x00"


@register.tag
def slot(parser, token):
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(nodelist)
