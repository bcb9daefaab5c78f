"""The module page's one read of a learner's answers with the feedback on them (reflections.selectors.answers_on)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflections.models import Feedback
from reflections.planners import planner_fields
from reflections.selectors import answers_on
from reflections.services import feedback_add, reflection_save
from testing.factories import make_learner

pytestmark = pytest.mark.django_db


def test_each_answer_comes_with_its_own_feedback_oldest_first(module_one, prompt, django_assert_num_queries):
    learner, coach, other = make_learner(), make_learner(), make_learner()
    planner = module_one.activities.get(kind="planner", is_active=True)
    first, second = (field.id for field in planner_fields(planner)[:2])
    answer = reflection_save(learner=learner, activity=prompt, text="Mine", base_revision=0).reflection
    unanswered = reflection_save(learner=learner, activity=planner, field=first, text="Plan", base_revision=0)
    reflection_save(learner=learner, activity=planner, field=second, text="More", base_revision=0)
    theirs = reflection_save(learner=other, activity=prompt, text="Theirs", base_revision=0).reflection
    later = feedback_add(author=coach, reflection=answer, text="Second note")
    earlier = feedback_add(author=coach, reflection=answer, text="First note")
    Feedback.objects.filter(pk=earlier.pk).update(created_at=later.created_at - timedelta(minutes=5))
    feedback_add(author=coach, reflection=theirs, text="Not for this learner")

    with django_assert_num_queries(1):
        answers = answers_on(viewer=learner, learner=learner, activities=[prompt, planner])

    mine = answers[prompt.pk][""]
    assert (mine.pk, mine.text) == (answer.pk, "Mine")
    assert [note.text for note in mine.notes] == ["First note", "Second note"]
    assert [note.pk for note in mine.notes] == list(
        answer.feedback.order_by("created_at", "pk").values_list("pk", flat=True)
    )
    assert mine.notes[0].created_at < timezone.now() and mine.notes[0].author_id == coach.pk
    assert set(answers[planner.pk]) == {first, second}
    assert answers[planner.pk][first].pk == unanswered.reflection.pk and answers[planner.pk][first].notes == []


def test_nobody_else_reads_them(module_one, prompt):
    learner = make_learner()
    reflection_save(learner=learner, activity=prompt, text="Mine", base_revision=0)
    assert answers_on(viewer=make_learner(), learner=learner, activities=[prompt]) == {prompt.pk: {}}
