"""``{% url %}`` with its answers remembered, a template builtin (settings.TEMPLATES).

Django's tag asks the URL resolver on every use: about 30 microseconds each, eleven
times on a module page. The same name and arguments always give the same address
while the process runs, for the same URLconf, script prefix, current app and
language, so this tag keeps the answers (the most recent few thousand) under all of
those. It behaves exactly as Django's tag does otherwise: same syntax, ``as var``,
escaping, and NoReverseMatch for a name that does not resolve (which is never kept).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()
KEYABLE = (str, SafeString, int)


@lru_cache(maxsize=4096)
def _reverse(view_name, args, kwargs, current_app, urlconf, prefix, language) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf)


def remembered_reverse(view_name, args, kwargs, current_app) -> str:
    """Kept only when the name and every argument are plain strings or numbers: an object
    (a model instance, say) becomes part of the address through its ``str()``, which can change."""
    if not all(type(value) in KEYABLE for value in (view_name, *args, *kwargs.values())):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    kept_kwargs = tuple(sorted(kwargs.items()))
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(view_name, tuple(args), kept_kwargs, current_app, urlconf, get_script_prefix(), get_language())


class RememberedURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = remembered_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
