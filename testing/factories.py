"""Test data, in one place. Plain functions that write through the services."""

import itertools
import re
from pathlib import Path

from django.urls import reverse

from accounts.models import User
from accounts.services import user_create
from courses.importer import modules_sync
from courses.models import Module

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
TEST_DATA = ROOT / "courses" / "tests" / "data"
SEED = TEST_DATA / "module-01-what-negotiation-actually-is.txt"
SMALL_SCENARIO = ROOT / "courses" / "tests" / "twee" / "small.twee"  # a scenario for Module 1, not its own
PASSWORD = "correct horse battery staple"

_emails = itertools.count(1)


def make_learner(email: str | None = None, password: str = PASSWORD) -> User:
    return user_create(email=email or f"learner{next(_emails)}@example.com", password=password)


def sign_in(client, email: str, password: str, **extra):
    """Post the sign-in form as a browser would."""
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return client.get(reverse("account")).status_code == 200


def import_modules(*paths: Path) -> list[Module]:
    result = modules_sync(paths=paths or [CONTENT_DIR])
    assert result.ok, [str(error) for error in result.errors]
    return list(Module.objects.order_by("number"))


def module_text(**overrides: str) -> str:
    """A plain-text module in the customer's form; override any part by name."""
    parts = {
        "header": "Module 7 · ~5 min",
        "title": "Listening · Hearing What Is Meant",
        "quote": "“Listen for the interest behind the position.”",
        "body": "Opening paragraph.\nA heading\nA paragraph under it.",
        "takeaways": "Hold on to these\n- One.\n- Two.",
        "reflection": "Reflection · write it down\nWrite about it.\nSaves automatically · come back to it whenever.",
        "outcome": "What you walk away with\nYou listen.",
    }
    parts.update(overrides)
    return "\n".join(part for part in parts.values() if part) + "\n"


def without_planners(canonical: str) -> str:
    """A canonical module file without its '::: planner' blocks: what the plain-text form can say."""
    return re.sub(r"::: planner[^\n]*\n.*?\n:::\n\n", "", canonical, flags=re.DOTALL)
