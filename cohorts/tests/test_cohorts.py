"""Cohorts, invites, the facilitator's dashboard, sharing and feedback: over HTTP, with the attacks."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Invite, Membership, Role
from cohorts.services import cohort_create, cohort_join, cohort_leave, invite_revoke
from reflections.models import Feedback, Reflection
from reflections.services import reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db

SECRET = "My boss questions every spend he did not approve."


@pytest.fixture
def setting(modules):
    """Module 1's course, a cohort with a facilitator, and a learner in it who wrote their reflection."""
    module = modules[0]
    coach = make_learner("coach@example.com")
    learner = make_learner("learner@example.com")
    cohort, invite = cohort_create(name="Spring sales team", course=module.course, facilitators=[coach])
    cohort_join(user=learner, token=invite.token)
    prompt = module.activities.get(kind="reflection")
    reflection = reflection_save(learner=learner, activity=prompt, text=SECRET, base_revision=0).reflection
    return {"module": module, "coach": coach, "learner": learner, "cohort": cohort, "invite": invite,
            "prompt": prompt, "reflection": reflection}  # fmt: skip


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_shows_progress_and_word_counts_never_the_text(client, setting):
    page = as_user(client, setting["coach"]).get(reverse("cohorts:dashboard", args=[setting["cohort"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "learner@example.com" in body and "written, 9 words" in body
    assert SECRET not in body
    assert "Modules completed over time" in body and "<svg" in body


@pytest.mark.parametrize("who", ["learner", "outsider", "other_coach"])
def test_nobody_but_its_facilitators_reaches_a_dashboard(client, setting, who):
    if who == "learner":
        user = setting["learner"]
    elif who == "outsider":
        user = make_learner()
    else:
        user = make_learner()
        cohort_create(name="Other", course=setting["module"].course, facilitators=[user])
    as_user(client, user)
    cohort, learner = setting["cohort"], setting["learner"]
    for url in (
        reverse("cohorts:dashboard", args=[cohort.pk]),
        reverse("cohorts:csv", args=[cohort.pk]),
        reverse("cohorts:learner", args=[cohort.pk, learner.pk]),
    ):
        assert client.get(url).status_code == 404, url
    forged = client.post(reverse("cohorts:feedback", args=[cohort.pk, setting["reflection"].pk]), {"text": "x"})
    assert forged.status_code == 404
    assert not Feedback.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, setting):
    response = client.get(reverse("cohorts:dashboard", args=[setting["cohort"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("cohorts:console")).status_code == 302


def test_shared_work_is_read_and_answered_and_revoking_hides_it_at_once(client, setting):
    learner, coach, cohort, reflection = setting["learner"], setting["coach"], setting["cohort"], setting["reflection"]
    learner_page = reverse("cohorts:learner", args=[cohort.pk, learner.pk])
    assert SECRET not in as_user(client, coach).get(learner_page).content.decode()  # private until shared

    module_page = as_user(client, learner).get(setting["module"].get_absolute_url()).content.decode()
    assert "Share with your coach" in module_page
    client.post(reverse("reflections:share", args=[reflection.pk]), {"share": "1"})
    as_user(client, coach)
    assert SECRET in client.get(learner_page).content.decode()
    response = client.post(reverse("cohorts:feedback", args=[cohort.pk, reflection.pk]), {"text": "Good: ask why."})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["learner@example.com"] and setting["module"].get_absolute_url() in message.body

    as_user(client, learner)
    assert "Good: ask why." in client.get(setting["module"].get_absolute_url()).content.decode()
    assert "Good: ask why." in client.get(reverse("reflections:journal")).content.decode()
    (entry,) = client.get(reverse("account_data")).json()["reflections"]
    assert entry["feedback"][0]["text"] == "Good: ask why."
    client.post(reverse("reflections:share", args=[reflection.pk]), {"share": "0"})

    as_user(client, coach)
    assert SECRET not in client.get(learner_page).content.decode()
    again = client.post(reverse("cohorts:feedback", args=[cohort.pk, reflection.pk]), {"text": "More."})
    assert again.status_code == 404 and Feedback.objects.count() == 1


def test_a_learner_cannot_share_someone_elses_answer(client, setting):
    as_user(client, make_learner())
    response = client.post(reverse("reflections:share", args=[setting["reflection"].pk]), {"share": "1"})
    assert response.status_code == 404
    assert Reflection.objects.get(pk=setting["reflection"].pk).shared_at is None


def test_after_the_learner_leaves_the_coach_sees_nothing(client, setting):
    reflection = setting["reflection"]
    Reflection.objects.filter(pk=reflection.pk).update(shared_at=timezone.now())
    cohort_leave(cohort=setting["cohort"], user=setting["learner"])
    as_user(client, setting["coach"])
    assert client.get(reverse("cohorts:learner", args=[setting["cohort"].pk, setting["learner"].pk])).status_code == 404
    body = client.get(reverse("cohorts:dashboard", args=[setting["cohort"].pk])).content.decode()
    assert "learner@example.com" not in body


def test_a_coach_of_another_cohort_of_the_same_course_sees_nothing_of_this_learner(client, setting):
    Reflection.objects.filter(pk=setting["reflection"].pk).update(shared_at=timezone.now())
    other = make_learner()
    other_cohort, _ = cohort_create(name="Other", course=setting["module"].course, facilitators=[other])
    as_user(client, other)
    url = reverse("cohorts:feedback", args=[other_cohort.pk, setting["reflection"].pk])
    assert client.post(url, {"text": "Hello"}).status_code == 404
    assert client.get(reverse("cohorts:learner", args=[other_cohort.pk, setting["learner"].pk])).status_code == 404


def test_joining_through_an_invite_once_and_the_invites_that_no_longer_work(client, setting):
    invite, newcomer = setting["invite"], make_learner()
    as_user(client, newcomer)
    page = client.get(invite.get_absolute_url())
    assert page.status_code == 200 and b"Join Spring sales team" in page.content
    assert client.post(invite.get_absolute_url()).status_code == 302
    assert client.post(invite.get_absolute_url()).status_code == 302  # twice: still one membership
    assert Membership.objects.filter(user=newcomer, role=Role.LEARNER).count() == 1
    assert Invite.objects.get(pk=invite.pk).used == 2

    def refused(invite) -> None:
        as_user(client, make_learner())
        response = client.post(invite.get_absolute_url())
        assert response.status_code == 410
        assert Membership.objects.filter(role=Role.LEARNER).count() == 2

    invite_revoke(invite=invite)
    refused(invite)
    expired = Invite.objects.create(cohort=setting["cohort"], expires_at=timezone.now() - timedelta(minutes=1))
    refused(expired)
    full = Invite.objects.create(cohort=setting["cohort"], seats=1, used=1)
    refused(full)
    assert client.get(reverse("cohorts:join", args=["guessed-token"])).status_code == 404


def test_a_signed_out_visitor_signs_in_first_and_comes_back_to_the_invite(client, setting):
    response = client.get(setting["invite"].get_absolute_url())
    assert response.status_code == 302 and "next=" in response["Location"]


def test_csv_download_neutralises_spreadsheet_formulas(client, setting):
    learner = setting["learner"]
    learner.display_name = '=HYPERLINK("http://evil")'
    learner.save()
    response = as_user(client, setting["coach"]).get(reverse("cohorts:csv", args=[setting["cohort"].pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == "learner@example.com" and rows[1][-6:][0] is not None
    assert SECRET not in response.content.decode()


def test_the_dashboard_costs_the_same_queries_for_a_bigger_cohort(client, setting, django_assert_max_num_queries):
    as_user(client, setting["coach"])
    url = reverse("cohorts:dashboard", args=[setting["cohort"].pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(30):
        cohort_join(user=make_learner(), token=setting["invite"].token)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small)


def test_the_owner_creates_a_cohort_and_withdraws_an_invite_from_the_console(client, setting):
    owner = make_learner("owner@example.com")
    owner.is_staff = True
    owner.save()
    as_user(client, owner)
    assert client.get(reverse("cohorts:console")).status_code == 200
    response = client.post(
        reverse("cohorts:new"),
        {"name": "Autumn", "course": setting["module"].course.pk, "facilitators": "coach@example.com", "seats": "5"},
    )
    cohort = Cohort.objects.get(name="Autumn")
    assert response["Location"] == reverse("cohorts:manage", args=[cohort.pk])
    invite = cohort.invites.get()
    assert invite.seats == 5
    page = client.get(reverse("cohorts:manage", args=[cohort.pk])).content.decode()
    assert invite.get_absolute_url() in page
    client.post(reverse("cohorts:withdraw", args=[cohort.pk, invite.pk]))
    assert Invite.objects.get(pk=invite.pk).revoked_at is not None
    refused = client.post(reverse("cohorts:new"), {"name": "X", "course": setting["module"].course.pk,
                                                   "facilitators": "nobody@example.com"})  # fmt: skip
    assert refused.status_code == 200 and b"No account uses nobody@example.com" in refused.content
    as_user(client, setting["learner"])
    assert client.get(reverse("cohorts:console")).status_code == 302  # not staff: to the admin sign-in


def test_cohort_commands_create_and_list(setting, capsys):
    call_command("cohort", "create", "Summer", "--course", "sales-blueprint", "--facilitator", "coach@example.com")
    out = capsys.readouterr().out
    cohort = Cohort.objects.get(name="Summer")
    assert f"invite link: http://127.0.0.1:8000/join/{cohort.invites.get().token}/" in out
    assert f"dashboard: http://127.0.0.1:8000/cohorts/{cohort.pk}/" in out
    call_command("cohort", "list")
    out = capsys.readouterr().out
    assert "Summer" in out and "Spring sales team" in out and "1 learners" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--course", "nope", "--facilitator", "coach@example.com"], "no course 'nope'"),
        (["--course", "sales-blueprint", "--facilitator", "ghost@example.com"], "no account uses ghost@example.com"),
        (["--course", "sales-blueprint", "--seats", "0"], "whole numbers from 1"),
    ],
)
def test_cohort_create_refuses_bad_input_and_writes_nothing(setting, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("cohort", "create", "Bad", *args)
    assert not Cohort.objects.filter(name="Bad").exists()


def test_a_shared_scenario_run_is_read_by_the_coach_until_revoked(client, setting):
    from practice.models import Run
    from practice.services import run_choose, run_start

    scenario = setting["module"].activities.get(kind="scenario")
    run = run_start(learner=setting["learner"], activity=scenario, after=None)
    run = run_choose(run=run, at=1, choice=0)
    learner_page = reverse("cohorts:learner", args=[setting["cohort"].pk, setting["learner"].pk])
    first_choice = run.steps[0]["choice"]
    assert first_choice not in as_user(client, setting["coach"]).get(learner_page).content.decode()
    as_user(client, setting["learner"])
    assert b"Share this run with your coach" in client.get(reverse("practice:run", args=[run.pk])).content
    client.post(reverse("practice:share", args=[run.pk]), {"share": "1"})
    assert first_choice in as_user(client, setting["coach"]).get(learner_page).content.decode()
    forged = client.post(reverse("practice:share", args=[run.pk]), {"share": "0"})  # the coach is not its learner
    assert forged.status_code == 404 and Run.objects.get(pk=run.pk).shared_at is not None
    as_user(client, setting["learner"]).post(reverse("practice:share", args=[run.pk]), {"share": "0"})
    assert first_choice not in as_user(client, setting["coach"]).get(learner_page).content.decode()


def test_the_owner_removes_a_learners_account_on_request(client, setting):
    owner = make_learner("owner@example.com")
    owner.is_staff = True
    owner.save()
    learner = setting["learner"]
    as_user(client, owner)
    listing = client.get(reverse("learners_console"), {"q": "learner@"}).content.decode()
    assert "learner@example.com" in listing and "owner@example.com" not in listing
    url = reverse("learner_remove", args=[learner.pk])
    assert client.post(url, {"email": "someone@example.com"}).status_code == 400
    assert Reflection.objects.filter(learner=learner).exists()
    assert client.post(url, {"email": "learner@example.com"}).status_code == 302
    assert not Reflection.objects.filter(learner_id=learner.pk).exists()
    assert not Membership.objects.filter(user_id=learner.pk).exists()
    assert client.get(reverse("learner_remove", args=[owner.pk])).status_code == 404  # never a staff account
    as_user(client, setting["coach"])
    assert client.get(reverse("learners_console")).status_code == 302  # not staff
