"""Learning events reach a real LRS (ralph) as xAPI statements: sent from the worker, never lost in an
outage, never stored twice, the reflection's text only when the learner allowed it."""

import re
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courses.importer import modules_sync
from courses.models import Module
from interchange.models import Actor, Statement
from interchange.outbox import statements_send
from testing.factories import CONTENT_DIR, SMALL_SCENARIO, make_learner
from testing.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)  # sends are queued on commit, as in production

BASE = "https://academy.example"
ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def module(tmp_path):
    """Module 1 with the small test scenario."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "discount.twee").write_text(SMALL_SCENARIO.read_text(), encoding="utf-8")
    assert modules_sync(paths=[CONTENT_DIR / "01-what-negotiation-actually-is.md", tmp_path / "content"]).ok
    return Module.objects.get(number=1)


def open_module(client, module):
    assert client.get(module.get_absolute_url()).status_code == 200


def write(client, module, text: str, base_revision: int = 0):
    prompt = module.activities.get(kind="reflection", is_active=True)
    data = {"text": text, "base_revision": base_revision}
    response = client.post(reverse("reflections:submit", args=[prompt.pk]), data)
    assert response.status_code == 302


def play_to_model_ending(client, module):
    scenario = module.activities.get(kind="scenario")
    page_url = reverse("practice:scenario", args=[scenario.pk])
    client.post(reverse("practice:start", args=[scenario.pk]), {"after": ""})
    for label in ("Tell me about the budget pressure you&#x27;re navigating.", "Offer a phased engagement"):
        page = client.get(page_url).content.decode()
        run = re.search(r'name="run" value="(\d+)"', page).group(1)
        at = re.search(r'name="at" value="(\d+)"', page).group(1)
        choice = re.search(rf'name="choice" value="(\d+)">\s*{re.escape(label)}', page).group(1)
        client.post(reverse("practice:choose", args=[scenario.pk]), {"run": run, "at": at, "choice": choice})


def complete(client, module):
    url = reverse("progress:complete", args=[module.course.slug, module.slug])
    assert client.post(url).status_code == 302


def journey(client, module, text="I asked about the budget before naming a number."):
    open_module(client, module)
    write(client, module, text)
    play_to_model_ending(client, module)
    complete(client, module)


def run_worker():
    call_command("worker", "--once", verbosity=0)


def by_verb(statements):
    return sorted((s["verb"]["id"].removeprefix(ADL), s["object"]["id"].removeprefix(BASE)) for s in statements)


def test_a_journey_reaches_the_lrs_as_statements_about_stable_activities(client, lrs, module):
    """Opening Module 1, answering its prompt, playing its scenario to a model ending and completing it
    make four statements; the worker sends them; the LRS holds exactly these, about the learner's opaque
    account (no email anywhere), with the scenario's ending and the words counted but no text."""
    learner = make_learner()
    client.force_login(learner)
    journey(client, module)
    assert lrs.statements() == []  # nothing is sent from the request
    run_worker()
    stored = lrs.statements()
    page = "/courses/sales-blueprint/what-negotiation-actually-is/"
    assert by_verb(stored) == [
        ("answered", f"{page}#reflection"),
        ("completed", page),
        ("completed", f"{page}#the-discount-request"),
        ("experienced", page),
    ]
    name = str(Actor.objects.get(learner=learner).name)
    assert all(s["actor"] == {"objectType": "Agent", "account": {"homePage": BASE, "name": name}} for s in stored)
    assert learner.email not in repr(stored)
    scenario = next(s for s in stored if s["object"]["id"].endswith("#the-discount-request"))
    assert scenario["result"]["success"] is True
    assert scenario["result"]["extensions"] == {f"{BASE}/xapi/extensions/ending": "Phased"}
    answer = next(s for s in stored if s["verb"]["id"].endswith("answered"))
    assert "response" not in answer["result"] and answer["result"]["extensions"][f"{BASE}/xapi/extensions/words"] == 9
    assert answer["context"]["contextActivities"]["parent"][0]["id"] == f"{BASE}{page}"
    assert sorted(s["id"] for s in stored) == sorted(str(pk) for pk in Statement.objects.values_list("pk", flat=True))
    assert set(Statement.objects.values_list("status", flat=True)) == {"sent"}


def test_stopping_the_lrs_mid_journey_loses_no_statement_and_stores_none_twice(client, lrs, module, settings):
    """The LRS goes down after the module is opened. The rest of the journey still works; the worker's
    sends fail and wait (backing off); once the LRS is back, the next run sends them all. Sending
    everything again (an answer lost on the way) stores nothing twice: each statement keeps its id."""
    from django_tasks_db.models import DBTaskResult

    settings.XAPI_RETRY_SECONDS = 1
    client.force_login(make_learner())
    open_module(client, module)
    run_worker()
    assert len(lrs.statements()) == 1
    lrs.stop()
    write(client, module, "Written while the LRS was down.")
    play_to_model_ending(client, module)
    complete(client, module)
    run_worker()
    waiting = Statement.objects.filter(status="pending")
    assert waiting.count() == 3 and {row.attempts for row in waiting} == {1}
    assert all(row.send_after > timezone.now() - timedelta(seconds=1) for row in waiting)
    DBTaskResult.objects.all().delete()  # even with the queued retry lost, the worker's sweep sends them
    lrs.start()
    time.sleep(1.1)  # the first retry is due after XAPI_RETRY_SECONDS
    run_worker()
    stored = lrs.statements()
    assert len(stored) == 4 and not Statement.objects.exclude(status="sent").exists()
    Statement.objects.update(status="pending", sent_at=None)
    assert statements_send().sent == 4
    again = lrs.statements()
    assert sorted(s["id"] for s in again) == sorted(s["id"] for s in stored)


def test_the_reflection_text_goes_only_with_the_learners_consent(client, lrs, module):
    """Off by default: the statement says a reflection was written and its length. A learner who
    ticks the box on the account page has their text in result.response. Autosaves before a send
    make one statement, with the latest text."""
    private, sharing = make_learner(), make_learner()
    client.force_login(private)
    write(client, module, "Private words.")
    client.force_login(sharing)
    page = client.get(reverse("account")).content.decode()
    assert "Learning records" in page and 'name="shares_text">' in page  # unticked
    assert client.post(reverse("account_records"), {"shares_text": "on"}).status_code == 302
    assert 'name="shares_text" checked' in client.get(reverse("account")).content.decode()
    write(client, module, "First draft.")
    write(client, module, "I asked what the budget had to cover, then offered a phased start.", base_revision=1)
    run_worker()
    stored = lrs.statements()
    answers = {s["actor"]["account"]["name"]: s["result"] for s in stored}
    names = {learner: str(Actor.objects.get(learner=learner).name) for learner in (private, sharing)}
    assert len(stored) == len(answers) == 2
    assert "response" not in answers[names[private]] and "Private" not in repr(answers)
    assert answers[names[sharing]]["response"] == "I asked what the budget had to cover, then offered a phased start."
    export = client.get(reverse("account_data")).json()
    assert export["profile"]["shares_text_in_records"] is True
    assert export["learning_records"]["name"] == names[sharing]


def test_a_statement_the_lrs_refuses_is_set_aside_and_the_others_go(client, lrs, module):
    """ralph refuses (422) a batch holding a malformed statement; each is then sent alone, the bad
    one is kept as rejected with the LRS's answer, and the good ones are stored."""
    learner = make_learner()
    client.force_login(learner)
    open_module(client, module)
    bad = Statement.objects.create(
        id="00000000-0000-4000-8000-000000000001",
        learner=learner,
        payload={"id": "00000000-0000-4000-8000-000000000001", "verb": {"id": "not an IRI"}},
        created_at=timezone.now(),
        send_after=timezone.now(),
    )
    report = statements_send()
    assert (report.sent, report.rejected, report.waiting) == (1, 1, 0)
    bad.refresh_from_db()
    assert bad.status == "rejected" and bad.last_error.startswith("422")
    assert [s["verb"]["id"] for s in lrs.statements()] == [f"{ADL}experienced"]


def test_without_an_lrs_nothing_is_written_queued_or_offered(client, module, settings):
    """XAPI_ENDPOINT empty (the default): the same journey writes no statement, no actor, queues no
    send, and the account page offers no learning-records choice."""
    from django_tasks_db.models import DBTaskResult

    settings.XAPI_ENDPOINT = ""
    client.force_login(make_learner())
    journey(client, module)
    assert not Statement.objects.exists() and not Actor.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__contains="send_statements").exists()
    assert "Learning records" not in client.get(reverse("account")).content.decode()
    run_worker()
    assert not Statement.objects.exists()


def test_failed_sends_back_off_and_a_deleted_account_takes_its_waiting_statements(client, module, settings):
    """With nothing listening at the endpoint, each failed attempt doubles the wait (30 s, 60 s, ...);
    deleting the account drops its statements and its name, so they are never sent."""
    settings.XAPI_ENDPOINT = f"http://127.0.0.1:{free_port()}/xAPI"
    learner = make_learner()
    client.force_login(learner)
    open_module(client, module)
    now = timezone.now()
    statements_send(now=now)
    row = Statement.objects.get()
    assert (row.attempts, row.send_after) == (1, now + timedelta(seconds=30))
    assert statements_send(now=now + timedelta(seconds=29)).waiting == 1  # not due yet: not tried
    assert Statement.objects.get().attempts == 1
    statements_send(now=now + timedelta(seconds=30))
    row = Statement.objects.get()
    assert (row.attempts, row.send_after) == (2, now + timedelta(seconds=90))
    from accounts.services import user_delete

    user_delete(user=learner)
    assert not Statement.objects.exists() and not Actor.objects.exists()


def test_the_learning_records_choice_is_the_learners_own_and_posted_only(client, settings):
    """The choice is saved on the signed-in learner's account only; a GET changes nothing; a visitor
    who is not signed in is sent to sign in."""
    settings.XAPI_ENDPOINT = "https://lrs.example/xAPI"
    learner, other = make_learner(), make_learner()
    url = reverse("account_records")
    assert client.post(url, {"shares_text": "on"}).status_code == 302
    client.force_login(learner)
    assert client.get(url, {"shares_text": "on"}).status_code == 405
    assert client.post(url, {"shares_text": "on"}).status_code == 302
    learner.refresh_from_db(), other.refresh_from_db()
    assert (learner.shares_text_in_records, other.shares_text_in_records) == (True, False)
    client.post(url, {})
    learner.refresh_from_db()
    assert learner.shares_text_in_records is False


def test_learners_are_named_by_email_only_when_the_operator_says_so(client, module, settings):
    """XAPI_ACTOR_EMAIL on: the actor is the learner's mailbox, and no opaque account is made."""
    settings.XAPI_ENDPOINT = f"http://127.0.0.1:{free_port()}/xAPI"
    settings.XAPI_ACTOR_EMAIL = True
    learner = make_learner()
    client.force_login(learner)
    open_module(client, module)
    assert Statement.objects.get().payload["actor"] == {"objectType": "Agent", "mbox": f"mailto:{learner.email}"}
    assert not Actor.objects.exists()
