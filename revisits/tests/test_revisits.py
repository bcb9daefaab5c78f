"""Revisits move with the clock; answers are kept under the reflection; digests go only to those who asked."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from progress.services import module_open, reading_record
from reflections.models import FollowUp, Reflection
from reflections.services import reflection_save
from revisits.digests import digest_send, iso_week
from revisits.models import DigestSubscription
from revisits.selectors import due_revisits
from revisits.services import digest_subscribe
from revisits.tasks import digests_enqueue
from testing.factories import ROOT, make_learner

pytestmark = pytest.mark.django_db
WORDS = "I said 10% at once. Next time I ask about the budget first."


@pytest.fixture
def written(module_one, learner):
    prompt = module_one.activities.get(kind="reflection")
    return reflection_save(learner=learner, activity=prompt, text=WORDS, base_revision=0).reflection


def due_days(learner, now):
    return [r.stage for r in due_revisits(viewer=learner, learner=learner, now=now)]


def test_a_reflection_written_today_is_revisited_on_day_2_7_and_21(learner, written):
    start = written.created_at
    assert due_days(learner, start + timedelta(days=1)) == []
    assert due_days(learner, start + timedelta(days=2)) == [2]
    assert due_days(learner, start + timedelta(days=6)) == [2]
    assert due_days(learner, start + timedelta(days=7)) == [7]  # one at a time: the latest due replaces the last
    assert due_days(learner, start + timedelta(days=21)) == [21]


def test_answering_keeps_a_dated_follow_up_under_the_reflection(client, learner, written):
    client.force_login(learner)
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        course_page = client.get(written.activity.module.course.get_absolute_url()).content.decode()
        assert "Come back to it" in course_page and "I said 10% at once." in course_page
        assert "Negotiate at the interest level" in course_page  # the module's takeaways
        url = reverse("revisits:revisit", args=[written.pk, 2])
        client.post(url, {"action": "answer", "text": "On Tuesday I asked first. They wanted terms, not price."})
        (follow,) = FollowUp.objects.filter(reflection=written)
        assert follow.text.startswith("On Tuesday") and follow.question
        assert due_days(learner, timezone.now()) == []
        journal = client.get(reverse("reflections:journal")).content.decode()
        assert "On Tuesday I asked first." in journal and "Coming back to it" in journal
        exported = client.get(reverse("account_data")).json()["reflections"][0]["follow_ups"]
        assert exported[0]["text"].startswith("On Tuesday")
    assert due_days(learner, written.created_at + timedelta(days=7)) == [7]  # the next one still comes


def test_a_snoozed_revisit_returns_and_a_dismissed_one_does_not(client, learner, written):
    client.force_login(learner)
    day2 = written.created_at + timedelta(days=2, hours=1)
    with time_machine.travel(day2):
        client.post(reverse("revisits:revisit", args=[written.pk, 2]), {"action": "snooze"})
        assert due_days(learner, timezone.now()) == []
    assert due_days(learner, day2 + timedelta(days=3, minutes=1)) == [2]
    with time_machine.travel(day2 + timedelta(days=4)):
        client.post(reverse("revisits:revisit", args=[written.pk, 2]), {"action": "dismiss"})
        assert due_days(learner, timezone.now()) == []


def test_nobody_answers_someone_elses_revisit(client, written):
    client.force_login(make_learner())
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        response = client.post(reverse("revisits:revisit", args=[written.pk, 2]), {"action": "answer", "text": "x"})
    assert response.status_code == 404 and not FollowUp.objects.exists()


def test_no_digest_without_opting_in_and_one_per_week_with_it(learner, written):
    week = iso_week()
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        assert digests_enqueue() == 0 and not digest_send(learner_id=learner.pk, week=week)
        digest_subscribe(learner=learner, active=True)
        assert digest_send(learner_id=learner.pk, week=week)
        assert not digest_send(learner_id=learner.pk, week=week)  # sent already this week
    (message,) = mail.outbox
    assert message.to == [learner.email] and "Module 1" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe in message.body and unsubscribe in message.alternatives[0][0]


def test_the_digest_leads_back_to_the_section_the_learner_was_reading(learner, written, module_one):
    """ "Where you left off" links to the module at the section the learner was last reading."""
    module_open(learner=learner, module=module_one)
    reading_record(learner=learner, module=module_one, seconds=10, section="the-interest-level", box="")
    digest_subscribe(learner=learner, active=True)
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        assert digest_send(learner_id=learner.pk, week=iso_week())
    (message,) = mail.outbox
    link = module_one.get_absolute_url() + "#the-interest-level"
    assert link in message.body and link in message.alternatives[0][0]


def test_the_unsubscribe_link_works_without_signing_in_and_a_forged_one_does_not(client, learner, written):
    digest_subscribe(learner=learner, active=True)
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        digest_send(learner_id=learner.pk, week=iso_week())
    path = re.search(r"http://[^/]+(/reminders/unsubscribe/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200  # one click, as a mail client posts it
    assert not DigestSubscription.objects.get(learner=learner).active
    assert client.post("/reminders/unsubscribe/forged-token/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_sweep_loses_no_digest_and_sends_none_twice(tmp_path, modules):
    """A worker process sends to 40 subscribers into a folder (file email backend); it is killed
    with SIGKILL part-way; a second worker finishes. Each learner then has exactly one digest."""
    prompt = modules[0].activities.get(kind="reflection")
    learners = [make_learner() for _ in range(40)]
    for learner in learners:
        reflection_save(learner=learner, activity=prompt, text="Words.", base_revision=0)
        digest_subscribe(learner=learner, active=True)
    Reflection.objects.update(created_at=timezone.now() - timedelta(days=3))  # a revisit is due: something to send
    from django.db import connection

    settings_file = tmp_path / "worker_settings.py"
    settings_file.write_text(
        "from config.settings.test import *  # noqa: F403\n"
        f"DATABASES['default']['NAME'] = {connection.settings_dict['NAME']!r}\n"
        "EMAIL_BACKEND = 'testing.mail.SlowFileBackend'\n"
        f"EMAIL_FILE_PATH = {str(tmp_path / 'mail')!r}\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "worker_settings", "PYTHONPATH": f"{tmp_path}:{ROOT}"}
    command = [sys.executable, "manage.py", "worker", "--once"]
    first = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and DigestSubscription.objects.exclude(last_sent_week="").count() < 10:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    sent_before = DigestSubscription.objects.exclude(last_sent_week="").count()
    assert 0 < sent_before < 40, "the kill should land part-way through the sweep"
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=120)
    recipients = []
    for message in (tmp_path / "mail").iterdir():
        recipients += re.findall(r"^To: (\S+)$", message.read_text(), flags=re.MULTILINE)
    assert sorted(recipients) == sorted(learner.email for learner in learners)


def test_recall_a_takeaway_rate_it_and_fsrs_spaces_the_next_time(client, learner, module_one):
    from progress.services import module_open
    from revisits.models import RecallCard

    module_open(learner=learner, module=module_one)
    client.force_login(learner)
    page = client.get(reverse("revisits:recall")).content.decode()
    assert "takeaway 1 of 3" in page
    card = RecallCard.objects.filter(learner=learner).order_by("due_at", "pk").first()
    reveal = client.post(reverse("revisits:reveal", args=[card.pk]), {"attempt": "Solve the real problem."})
    body = reveal.content.decode()
    assert "Solve the real problem." in body and card.takeaway in body
    assert client.post(reverse("revisits:rated", args=[card.pk]), {"rating": "good"}).status_code == 302
    card.refresh_from_db()
    good_days = (card.due_at - timezone.now()).days
    assert card.reviews == 1 and good_days >= 1  # days, not minutes
    other = RecallCard.objects.filter(learner=learner).exclude(pk=card.pk).first()
    client.post(reverse("revisits:rated", args=[other.pk]), {"rating": "easy"})
    other.refresh_from_db()
    assert (other.due_at - timezone.now()).days > good_days  # the rating sets the interval
    assert client.post(reverse("revisits:rated", args=[other.pk]), {"rating": "perfect"}).status_code == 400
    client.force_login(make_learner())
    assert client.post(reverse("revisits:reveal", args=[card.pk]), {"attempt": "x"}).status_code == 404


def test_a_course_page_panel_holds_that_course_s_reflections_and_recall_cards_only(tmp_path, learner, written):
    """The course page's panel reads the learner's reflections in that course (not a planner's fields,
    not another course's, not another learner's) and counts the recall cards due there."""
    from courses.selectors import course_outline
    from courses.tests.test_courses import second_course
    from reflections.planners import planner_fields
    from revisits.recall import recall_cards_sync
    from revisits.selectors import course_panel
    from testing.factories import import_modules

    module_one = written.activity.module
    other_module = next(m for m in import_modules(second_course(tmp_path)) if m.course != module_one.course)
    elsewhere = reflection_save(
        learner=learner, activity=other_module.activities.get(kind="reflection"), text="Elsewhere.", base_revision=0
    ).reflection
    planner = module_one.activities.get(kind="planner")
    reflection_save(
        learner=learner, activity=planner, field=planner_fields(planner)[0].id, text="A plan.", base_revision=0
    )
    someone = make_learner()
    reflection_save(learner=someone, activity=written.activity, text="Not mine.", base_revision=0)
    module_open(learner=learner, module=module_one)
    recall_cards_sync(learner=learner)  # a card for each of its three takeaways, due at once
    course_outline(course=module_one.course)
    with time_machine.travel(written.created_at + timedelta(days=2, hours=1)):
        panel = course_panel(viewer=learner, course=module_one.course)
        assert [(revisit.reflection.pk, revisit.stage) for revisit in panel["revisits"]] == [(written.pk, 2)]
        assert panel["revisits"][0].reflection.activity.module == module_one
        assert panel["recall_due"] == 3
        other = course_panel(viewer=learner, course=other_module.course)
        assert [revisit.reflection.pk for revisit in other["revisits"]] == [elsewhere.pk]
        assert other["recall_due"] == 0
        assert course_panel(viewer=someone, course=other_module.course) is None
