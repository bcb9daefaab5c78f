"""``{% slot %}...{% endslot %}``: the part of a page that is drawn for each request when the page
is served from a frame (courses.frames); anywhere else it renders its content as usual."""

from django import template
from django.template.base import Node

from courses.frames import FRAME

register = template.Library()


class SlotNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        slots = context.get(FRAME)
        if slots is None:
            return self.nodelist.render(context)
        slots.append(self.nodelist)
        return f"\x00slot{len(slots) - 1}\x00"


@register.tag
def slot(parser, token):
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(nodelist)
