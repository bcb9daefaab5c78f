"""The learner the audit signs in as, with something written and played, so that each page
shows what a learner's page shows. Run inside `manage.py shell` against the audit's own database."""

import json

from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.services import user_create
from courses.models import Activity
from practice.services import run_choose, run_start
from reflections.services import reflection_save

TEXT = "Dana asked for 20% off. Her interest was the budget cycle: a phased start at full price fitted it."


def prepare() -> None:
    """Create the learner, write a reflection in two versions, play a scenario one step; print the
    session cookie and the addresses of the pages to audit as JSON."""
    learner = user_create(email="audit@example.com", password="an audit passphrase 42", display_name="Audit")
    prompt = Activity.objects.filter(kind="reflection", is_active=True).order_by("module__number", "position")[0]
    first = reflection_save(learner=learner, activity=prompt, text=TEXT, base_revision=0)
    reflection_save(
        learner=learner,
        activity=prompt,
        text=TEXT + " Next time I ask first.",
        base_revision=first.reflection.revision,
        new_version=True,
    )
    scenario = Activity.objects.filter(kind="scenario", is_active=True).order_by("module__number", "position")[0]
    with transaction.atomic():
        run = run_start(learner=learner, activity=scenario, after=None)
    run_choose(run=run, at=len(run.steps), choice=0)
    client = Client()
    client.force_login(learner)
    print(
        json.dumps(
            {
                "cookie": {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                },
                "module": prompt.module.get_absolute_url(),
                "scenario": f"/practice/{scenario.pk}/",
                "history": f"/reflections/{prompt.pk}/history/",
            }
        )
    )
