"""The module page served from its frame (courses/frames.py): the same bytes as the whole template
rendered for the learner, with nothing of one learner in what another is served."""

import re

import pytest
from django.contrib.messages import constants
from django.test import Client

from cohorts.services import cohort_create, cohort_join
from courses import views
from practice.services import run_start
from progress.services import module_complete
from reflections.planners import planner_fields
from reflections.services import feedback_add, reflection_save, reflection_share
from testing.factories import make_learner

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}"')


def same_tokens(html: str) -> str:
    """CSRF tokens are masked afresh for each page; everything else must match byte for byte."""
    return TOKEN.sub(r'\1…"', html)


def whole_template(monkeypatch, client, url) -> str:
    """The page as the whole template renders it, with no frame."""
    with monkeypatch.context() as patched:
        patched.setattr(views, "kept_in_process", lambda name, build: None)
        return client.get(url).content.decode()


def signed_in(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


@pytest.mark.django_db
def test_a_framed_page_is_the_whole_template_for_that_learner(monkeypatch, module_one, prompt):
    learner = make_learner()
    reflection_save(learner=learner, activity=prompt, text="My <b>own</b> words", base_revision=0)
    client = signed_in(learner)
    url = module_one.get_absolute_url()
    framed = client.get(url).content.decode()
    assert same_tokens(framed) == same_tokens(whole_template(monkeypatch, client, url))
    assert "My &lt;b&gt;own&lt;/b&gt; words" in framed
    assert f'data-sign-out="{learner.pk}"' in framed and framed.count('name="csrfmiddlewaretoken"') >= 3


def busy_learner(module):
    """A learner with something in every activity that keeps records: a shared reflection with a
    coach's feedback, a planner field written, a role-play started."""
    learner, coach = make_learner(), make_learner()
    _, invite = cohort_create(name="Team", course=module.course, facilitators=[coach])
    cohort_join(user=learner, token=invite.token)
    prompt = module.activities.get(kind="reflection", is_active=True)
    saved = reflection_save(learner=learner, activity=prompt, text="Shared <i>words</i>", base_revision=0)
    feedback_add(author=coach, reflection=reflection_share(reflection=saved.reflection, shared=True), text="Well put")
    planner = module.activities.get(kind="planner", is_active=True)
    field = planner_fields(planner)[0].id
    reflection_save(learner=learner, activity=planner, field=field, text="My walk-away point", base_revision=0)
    run_start(learner=learner, activity=module.activities.get(kind="scenario", is_active=True), after=None)
    return learner


@pytest.mark.django_db
@pytest.mark.parametrize("completed", [False, True])
def test_every_activity_drawn_from_the_frame_is_the_whole_template(monkeypatch, module_one, completed):
    """Slots inside the activities (boxes, cards, role-play states) and the footer get the names in
    scope where they stand: the framed page is the whole template's for a learner with something
    everywhere, before and after completing the module."""
    learner = busy_learner(module_one)
    if completed:
        module_complete(learner=learner, module=module_one)
    client = signed_in(learner)
    url = module_one.get_absolute_url()
    framed = client.get(url).content.decode()
    assert same_tokens(framed) == same_tokens(whole_template(monkeypatch, client, url))
    shown = ("Shared &lt;i&gt;words&lt;/i&gt;", "Well put", "Stop sharing with your coach", "1 of ", "part-way through")
    assert all(text in framed for text in shown)
    assert ("You have completed this module." in framed) == completed


@pytest.mark.django_db
def test_a_second_learner_gets_their_own_page_from_the_same_frame(module_one, prompt):
    first, second = make_learner(), make_learner()
    reflection_save(learner=first, activity=prompt, text="first learner private words", base_revision=0)
    url = module_one.get_absolute_url()
    first_page = signed_in(first).get(url).content.decode()
    second_page = signed_in(second).get(url).content.decode()
    assert "first learner private words" in first_page
    assert "first learner private words" not in second_page
    assert f'data-sign-out="{second.pk}"' in second_page and f'data-sign-out="{first.pk}"' not in second_page
    first_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', first_page))
    assert first_tokens and not first_tokens & set(re.findall(r'value="(\w+)"', second_page))


@pytest.mark.django_db
def test_messages_are_drawn_for_each_request(module_one, signed_in_client):
    from django.contrib.messages.storage.cookie import CookieStorage

    url = module_one.get_absolute_url()
    signed_in_client.get(url)  # the frame is drawn
    storage = CookieStorage(signed_in_client.get(url).wsgi_request)
    storage.add(constants.SUCCESS, "Saved for this request only")
    response = signed_in_client.get(url)
    storage.update(response)
    signed_in_client.cookies.update(response.cookies)
    assert "Saved for this request only" in signed_in_client.get(url).content.decode()
    assert "Saved for this request only" not in signed_in_client.get(url).content.decode()


@pytest.mark.django_db
def test_a_frame_holds_nothing_of_a_learner(module_one):
    lesson = views.lesson_for_slug(course=module_one.course.slug, slug=module_one.slug)
    frame = views._module_frame(lesson, total=1)  # as module_detail draws it
    text = "".join(getattr(node, "s", "") for node in frame.template.nodelist)
    assert module_one.title in text and "csrfmiddlewaretoken" not in text
    assert 'data-sign-out=""' in text  # the learner's id is a slot, drawn per request
    assert "<textarea" not in text  # the boxes are slots
    # The activities around them are drawn once: the prompt and its heading, the role-play's link.
    assert "Reflection · write it down" in text and 'class="prompt"' in text and "Role-play: " in text
    assert "/planners/" in text and "js/reading" in text  # the planner's link, the footer's script
