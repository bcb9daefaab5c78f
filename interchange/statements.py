"""Learning events as xAPI 1.0.3 statements: ADL's verbs, activity IRIs from the stable keys.

A module is named by its page's address under XAPI_ACTIVITY_BASE (``/courses/COURSE/MODULE/``), an
activity by the module's address and its key (``…/MODULE/#reflection-2``), a planner's field by
``#KEY/FIELD``. Course, module and key survive rewording and reordering, so the LRS keeps reporting
against the same activities. The learner is an account on the platform with an opaque name.
"""

from django.conf import settings
from django.utils.text import Truncator

from courses.events import EventKind, LearningEvent
from courses.models import Activity, Module

ADL = "http://adlnet.gov/expapi"
VERBS = {
    EventKind.MODULE_OPENED: "experienced",
    EventKind.MODULE_COMPLETED: "completed",
    EventKind.SCENARIO_ENDED: "completed",
    EventKind.REFLECTION_WRITTEN: "answered",
}
ACTIVITY_TYPES = {"module": "lesson", "course": "course", "scenario": "simulation", "reflection": "question"}


def base() -> str:
    return settings.XAPI_ACTIVITY_BASE or settings.SITE_URL.rstrip("/")


def extension(name: str) -> str:
    """The IRI of one of the platform's result extensions (``ending``, ``words``)."""
    return f"{base()}/xapi/extensions/{name}"


def account_actor(name: str) -> dict:
    """The learner as an account on the platform, named by an id that says nothing about them."""
    return {"objectType": "Agent", "account": {"homePage": base(), "name": name}}


def mailbox_actor(email: str) -> dict:
    """The learner by their email (only with XAPI_ACTOR_EMAIL)."""
    return {"objectType": "Agent", "mbox": f"mailto:{email}"}


def statement(event: LearningEvent, *, statement_id: str, actor: dict, with_text: bool) -> dict:
    """The statement reporting ``event``; a reflection's text only ``with_text`` (the learner allowed it)."""
    module = event.module or event.activity.module
    verb = VERBS[EventKind(event.kind)]
    data = {
        "id": statement_id,
        "actor": actor,
        "verb": {"id": f"{ADL}/verbs/{verb}", "display": {"en-US": verb}},
        "object": _activity_object(event, module),
        "context": _context(event, module),
        "timestamp": event.at.isoformat(),
    }
    if result := _result(event, with_text=with_text):
        data["result"] = result
    return data


def _activity_object(event: LearningEvent, module: Module) -> dict:
    if event.activity is None:
        return _activity(f"{base()}{module.get_absolute_url()}", "module", str(module))
    kind = "scenario" if event.kind == EventKind.SCENARIO_ENDED else "reflection"
    name = Truncator(_first_line(event.activity)).chars(120) or event.activity.key
    return _activity(_activity_iri(event.activity, event.field), kind, name)


def _activity_iri(activity: Activity, field: str) -> str:
    iri = f"{base()}{activity.module.get_absolute_url()}#{activity.key}"
    return f"{iri}/{field}" if field else iri


def _first_line(activity: Activity) -> str:
    return next((line.strip(" #*>") for line in activity.text.splitlines() if line.strip()), "")


def _activity(iri: str, kind: str, name: str) -> dict:
    definition = {"type": f"{ADL}/activities/{ACTIVITY_TYPES[kind]}", "name": {"en-US": name}}
    return {"objectType": "Activity", "id": iri, "definition": definition}


def _context(event: LearningEvent, module: Module) -> dict:
    course = module.course
    grouping = [_activity(f"{base()}{course.get_absolute_url()}", "course", course.title)]
    activities: dict = {"grouping": grouping}
    if event.activity is not None:
        activities["parent"] = [_activity(f"{base()}{module.get_absolute_url()}", "module", str(module))]
    return {"platform": "The Sales Blueprint System", "contextActivities": activities}


def _result(event: LearningEvent, *, with_text: bool) -> dict | None:
    if event.kind == EventKind.MODULE_COMPLETED:
        return {"completion": True}
    if event.kind == EventKind.SCENARIO_ENDED:
        return {"completion": True, "success": event.best, "extensions": {extension("ending"): event.ending}}
    if event.kind == EventKind.REFLECTION_WRITTEN:
        result = {"completion": True, "extensions": {extension("words"): len(event.text.split())}}
        return {**result, "response": event.text} if with_text else result
    return None
