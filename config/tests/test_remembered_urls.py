"""{% url %} (config/remembered_urls.py): the same answers as Django's own tag, asked of the
resolver once per name and arguments, and never kept across what changes an address."""

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.urls import NoReverseMatch, set_script_prefix

from config import remembered_urls


@pytest.fixture
def resolver_calls(monkeypatch):
    remembered_urls._reverse.cache_clear()
    calls = []
    real = remembered_urls.reverse

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(remembered_urls, "reverse", counted)
    yield calls
    remembered_urls._reverse.cache_clear()
    set_script_prefix("/")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def django_render(source: str, **context) -> str:
    """The same template through an engine with only Django's own builtins."""
    return Engine(builtins=[]).from_string(source).render(Context(context))


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'reflections:journal' %}",
        "{% url 'reflections:api' 7 %}",
        "{% url 'reflections:api' activity_id=7 %}",
        "{% url 'progress:complete' course slug %}",
        "{% url 'progress:complete' course slug as there %}[{{ there }}]",
        "{% url 'no-such-name' as there %}[{{ there }}]",
        "{% url 'reflections:journal-download' fmt='md' %}",
    ],
)
def test_renders_what_djangos_tag_renders(source, resolver_calls):
    context = {"course": "sales-blueprint", "slug": "what-negotiation-actually-is"}
    assert render(source, **context) == django_render(source, **context)
    assert render(source, **context) == django_render(source, **context)  # from what it kept


def test_the_resolver_is_asked_once_per_name_and_arguments(resolver_calls):
    for _ in range(3):
        render("{% url 'reflections:api' 7 %}{% url 'reflections:api' 8 %}{% url 'reflections:journal' %}")
    assert sorted(resolver_calls) == ["reflections:api", "reflections:api", "reflections:journal"]


def test_an_unknown_name_still_raises_and_is_not_kept(resolver_calls):
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            render("{% url 'no-such-name' %}")
    assert resolver_calls == ["no-such-name", "no-such-name"]


def test_objects_as_arguments_are_asked_each_time(resolver_calls):
    class Slug:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    assert render("{% url 'reflections:api' a %}", a=Slug("7")) == "/api/reflections/7/"
    assert render("{% url 'reflections:api' a %}", a=Slug("8")) == "/api/reflections/8/"


def test_a_new_script_prefix_gives_a_new_address(resolver_calls):
    assert render("{% url 'reflections:journal' %}").startswith("/journal")
    set_script_prefix("/school/")
    assert render("{% url 'reflections:journal' %}").startswith("/school/journal")


@override_settings(ROOT_URLCONF="config.tests.test_remembered_urls")
def test_another_urlconf_is_not_given_the_first_ones_address(resolver_calls):
    with pytest.raises(NoReverseMatch):
        render("{% url 'reflections:journal' %}")


urlpatterns: list = []
