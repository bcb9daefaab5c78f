"""Playing a scenario over HTTP, with plain form posts (no JavaScript): start, choose, resume, review."""

import re

import pytest
from django.urls import reverse

from accounts.learners import learner_data_parts
from courses.importer import modules_sync
from courses.models import Module
from practice.models import Run
from testing.factories import CONTENT_DIR, SMALL_SCENARIO, make_learner

pytestmark = pytest.mark.django_db

SMALL = SMALL_SCENARIO


@pytest.fixture
def scenario(db, tmp_path):
    """Module 1 with the small test scenario (not Module 1's own)."""
    (tmp_path / "discount.twee").write_text(SMALL.read_text(), encoding="utf-8")
    assert modules_sync(paths=[CONTENT_DIR / "01-what-negotiation-actually-is.md", tmp_path]).ok
    return Module.objects.get(number=1).activities.get(key="the-discount-request")


def url(scenario, name="scenario"):
    return reverse(f"practice:{name}", args=[scenario.pk])


def choose(client, scenario, text: str):
    """Press the button whose label is ``text`` on the page as it is now."""
    page = client.get(url(scenario)).content.decode()
    run = re.search(r'name="run" value="(\d+)"', page).group(1)
    at = re.search(r'name="at" value="(\d+)"', page).group(1)
    buttons = dict((label.strip(), value) for value, label in re.findall(r'name="choice" value="(\d+)">([^<]*)<', page))
    return client.post(url(scenario, "choose"), {"run": run, "at": at, "choice": buttons[text]})


def test_a_learner_plays_to_a_model_ending_and_sees_the_path(signed_in_client, scenario):
    page = signed_in_client.get(url(scenario))
    assert b"Start the role-play" in page.content
    response = signed_in_client.post(url(scenario, "start"), {"after": ""})
    assert response.status_code == 302 and response["Location"].endswith("#now")
    page = signed_in_client.get(url(scenario)).content.decode()
    assert "I need a 20% discount" in page and "What do you say?" in page
    choose(signed_in_client, scenario, "Tell me about the budget pressure you&#x27;re navigating.")
    response = choose(signed_in_client, scenario, "Offer a phased engagement")
    assert response.status_code == 302
    page = signed_in_client.get(url(scenario)).content.decode()
    assert "You reached a model ending" in page and "phased start at full price" in page
    assert "Here you left the model path" not in page
    assert "Play it again" in page
    run = Run.objects.get()
    assert (run.ending, run.best, run.ended_at is not None) == ("Phased", True, True)


def test_a_position_level_answer_is_marked_where_it_left_the_model_path(signed_in_client, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    choose(signed_in_client, scenario, "I can do 10%.")
    page = signed_in_client.get(url(scenario)).content.decode()
    assert "How it ended" in page and "margin does not recover" in page
    assert "Here you left the model path." in page
    assert "A model answer: “Tell me about the budget pressure you&#x27;re navigating.”" in page


def test_leaving_in_the_middle_and_coming_back_resumes_the_run(client, scenario):
    learner = make_learner()
    client.force_login(learner)
    client.post(url(scenario, "start"), {"after": ""})
    choose(client, scenario, "Tell me about the budget pressure you&#x27;re navigating.")
    client.logout()
    client.force_login(learner)
    page = client.get(url(scenario)).content.decode()
    assert "budget cycle closes this quarter" in page and "Scene 2" in page
    assert "So far" in page and "Tell me about the budget pressure" in page  # the transcript of the path
    module_page = client.get(scenario.module.get_absolute_url()).content.decode()
    assert "part-way through" in module_page


def test_a_repeated_or_stale_post_changes_nothing(signed_in_client, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    signed_in_client.post(url(scenario, "start"), {"after": ""})  # a double click
    assert Run.objects.count() == 1
    run = Run.objects.get()
    signed_in_client.post(url(scenario, "choose"), {"run": run.pk, "at": 1, "choice": 1})
    signed_in_client.post(url(scenario, "choose"), {"run": run.pk, "at": 1, "choice": 0})  # from the old page
    run.refresh_from_db()
    assert [step["passage"] for step in run.steps] == ["Monday call", "Budget pressure"]


@pytest.mark.parametrize("data", [{"run": "x", "at": "1", "choice": "0"}, {"at": "1", "choice": "0"}, {}])
def test_malformed_choices_are_refused_with_400(signed_in_client, scenario, data):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    assert signed_in_client.post(url(scenario, "choose"), data).status_code == 400


def test_a_choice_the_passage_does_not_offer_is_refused(signed_in_client, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    run = Run.objects.get()
    response = signed_in_client.post(url(scenario, "choose"), {"run": run.pk, "at": 1, "choice": 7})
    assert response.status_code == 400 and b"not one of the choices" in response.content
    assert len(Run.objects.get().steps) == 1


def test_another_learners_run_is_not_there(client, signed_in_client, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    run = Run.objects.get()
    client.force_login(make_learner())
    assert client.post(url(scenario, "choose"), {"run": run.pk, "at": 1, "choice": 0}).status_code == 404
    assert client.get(reverse("practice:run", args=[run.pk])).status_code == 404
    assert len(Run.objects.get().steps) == 1


def test_signed_out_visitors_are_sent_to_sign_in(client, scenario):
    response = client.get(url(scenario))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(url(scenario, "start"), {"after": ""}).status_code == 302
    assert not Run.objects.exists()


def test_an_unknown_scenario_is_404(signed_in_client, scenario):
    assert signed_in_client.get(reverse("practice:scenario", args=[scenario.pk + 100])).status_code == 404
    reflection = scenario.module.activities.get(kind="reflection")
    assert signed_in_client.get(reverse("practice:scenario", args=[reflection.pk])).status_code == 404


def test_done_journal_and_export_once_a_run_ends(signed_in_client, learner, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    module_page = signed_in_client.get(scenario.module.get_absolute_url()).content.decode()
    assert "part-way through" in module_page
    choose(signed_in_client, scenario, "Hold firm")
    module_page = signed_in_client.get(scenario.module.get_absolute_url()).content.decode()
    assert "played to an ending once" in module_page
    journal = signed_in_client.get(reverse("reflections:journal")).content.decode()
    assert "Role-plays" in journal and "Reached an ending: Stalemate" in journal
    run = Run.objects.get()
    review = signed_in_client.get(reverse("practice:run", args=[run.pk])).content.decode()
    assert "Neither side moves" in review and "Hold firm" in review
    (entry,) = signed_in_client.get(reverse("account_data")).json()["scenario_runs"]
    assert entry["ending"] == "Stalemate" and entry["path"][0] == {"passage": "Monday call", "choice": "Hold firm"}
    assert entry["scenario_id"] == "the-discount-request" and entry["model_ending"] is False


def test_deleting_the_account_deletes_its_runs(signed_in_client, learner, scenario):
    signed_in_client.post(url(scenario, "start"), {"after": ""})
    (part,) = [p for p in learner_data_parts() if p.name == "scenario_runs"]
    part.delete(learner=learner)
    assert not Run.objects.exists()


def test_html_in_a_passage_is_shown_as_text_never_run(tmp_path, db):
    hostile = SMALL.read_text().replace("Neither side moves.", 'Neither side moves. <img src=x onerror="alert(1)">')
    (tmp_path / "d.twee").write_text(hostile, encoding="utf-8")
    assert modules_sync(paths=[CONTENT_DIR / "01-what-negotiation-actually-is.md", tmp_path]).ok
    activity = Module.objects.get(number=1).activities.get(key="the-discount-request")
    stalemate = next(p for p in activity.items["passages"] if p["name"] == "Stalemate")
    assert "<img" not in stalemate["html"] and "&lt;img" in stalemate["html"]
