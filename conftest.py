import os

import pytest
from django.db import connections

from testing.factories import PASSWORD, import_modules, make_learner

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def modules(db):
    """Everything under content/, as `make run` loads it."""
    return import_modules()


@pytest.fixture
def module_one(modules):
    return modules[0]


@pytest.fixture
def learner(db):
    return make_learner()


@pytest.fixture
def signed_in_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def prompt(module_one):
    """Module 1's reflection prompt."""
    return module_one.activities.get(kind="reflection", is_active=True)


@pytest.fixture
def csrf_client(learner):
    """A signed-in browser whose posts are CSRF-checked, as a real one's are."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def playwright(monkeypatch):
    """Playwright's event loop makes Django think it is in async code, so the
    ORM is allowed for the duration of a browser test only."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        yield playwright
        # ORM calls made while Playwright's loop runs open a connection of their own;
        # close it, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


@pytest.fixture
def browser(playwright):
    """Real Chromium (Debian's, not a downloaded build)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts and ends with an empty cache: lessons and prompts live there
    (rate limits too, with Redis), and a test's rolled-back transaction never runs the
    importer's on-commit reset. This process's copies of what the cache holds go with it."""
    from django.core.cache import cache

    from courses.selectors import forget_cached

    cache.clear()
    forget_cached()
    yield
    cache.clear()
    forget_cached()
