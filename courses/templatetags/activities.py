"""``states|for_activity:activity``: the viewer's state of an activity on its page (courses.activities).

Activity templates look their state up inside a ``{% slot %}``: the rest of each one is drawn once
into the page's frame (courses.frames), the same for every viewer."""

from django import template

register = template.Library()


@register.filter
def for_activity(states, activity):
    return (states or {}).get(activity.pk)
