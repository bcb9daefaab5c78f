"""Helpers for browser journeys: signed-in contexts and asking the server what it holds."""

from django.test import Client

from courses.models import Module


def session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}


def signed_in_context(browser, base_url: str, user, **options):
    context = browser.new_context(**options)
    context.add_cookies([session_cookie(user, base_url)])
    return context


def module_url(base_url: str, module: Module) -> str:
    return base_url + module.get_absolute_url()


def first_prompt(module: Module):
    """The module's first reflection activity."""
    return module.activities.filter(kind="reflection", is_active=True).order_by("position").first()


def api_url(base_url: str, module: Module, activity=None) -> str:
    return f"{base_url}/api/reflections/{(activity or first_prompt(module)).pk}/"


def text_on_server(browser, base_url: str, user, module: Module, activity=None) -> str:
    """What another device signed in as the same learner reads back."""
    context = signed_in_context(browser, base_url, user)
    try:
        response = context.request.get(api_url(base_url, module, activity))
        assert response.ok, response.status
        return response.json()["text"]
    finally:
        context.close()
