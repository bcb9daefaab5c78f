"""``activity|planner_title``: a planner's title, for its card on the module page (drawn once into
the page's frame; only the count of written fields is drawn for each learner)."""

from django import template

from reflections.planners import planner_title as title

register = template.Library()


@register.filter
def planner_title(activity) -> str:
    return title(activity)
