from datetime import timedelta

import pytest
from django.utils import timezone

from progress.models import ModuleProgress, Status
from progress.selectors import course_progress
from progress.services import module_complete, module_open
from testing.factories import TEST_DATA, import_modules

pytestmark = pytest.mark.django_db


def test_opening_twice_keeps_one_row_and_moves_last_seen(learner, module_one):
    """Opening is an upsert: one row per learner and module, started once, last seen updated."""
    module_open(learner=learner, module=module_one)
    first = ModuleProgress.objects.get()
    ModuleProgress.objects.update(last_seen_at=timezone.now() - timedelta(days=1))
    module_open(learner=learner, module=module_one)
    row = ModuleProgress.objects.get()
    assert row.started_at == first.started_at
    assert row.last_seen_at > first.started_at - timedelta(seconds=1)
    assert row.status == Status.IN_PROGRESS


def test_completing_an_unopened_module_marks_it_done(learner, module_one):
    module_complete(learner=learner, module=module_one)
    assert ModuleProgress.objects.get().status == Status.DONE


def test_reopening_a_done_module_keeps_it_done(learner, module_one):
    module_complete(learner=learner, module=module_one)
    module_open(learner=learner, module=module_one)
    assert ModuleProgress.objects.get().status == Status.DONE


def test_continue_resumes_the_last_opened_module_and_skips_done_ones(learner):
    """Continue points at the module opened last; once it is done, at the next one not done, wrapping round."""
    one, two, three = import_modules(TEST_DATA)
    module_open(learner=learner, module=two)
    assert course_progress(learner=learner, modules=[one, two, three]).continue_module == two
    module_complete(learner=learner, module=two)
    module_complete(learner=learner, module=three)
    progress = course_progress(learner=learner, modules=[one, two, three])
    assert progress.continue_module == one
    assert (progress.done, progress.total, progress.started) == (2, 3, True)
    assert progress.statuses == {one.pk: Status.NOT_STARTED, two.pk: Status.DONE, three.pk: Status.DONE}


def test_progress_is_per_learner(learner, module_one):
    from testing.factories import make_learner

    module_complete(learner=learner, module=module_one)
    other = course_progress(learner=make_learner(), modules=[module_one])
    assert other.statuses[module_one.pk] == Status.NOT_STARTED and not other.started


def test_opening_returns_the_course_progress_with_the_visit_in_one_read(learner, django_assert_num_queries):
    """The module page's progress comes from opening the module: one read of the learner's rows, one write
    for a new visit, none for a reload within SEEN_RESOLUTION; the result is what a fresh read gives.
    (The write shares a transaction with its learning event: inside the test's transaction that is a
    savepoint and its release, 2 more statements.)"""
    one, two, three = import_modules(TEST_DATA)
    module_complete(learner=learner, module=one)
    with django_assert_num_queries(4):
        opened = module_open(learner=learner, module=two, modules=[one, two, three])
    assert opened.progress == course_progress(learner=learner, modules=[one, two, three])
    assert opened.status == opened.progress.statuses[two.pk] == Status.IN_PROGRESS
    assert opened.progress.continue_module == two and (opened.progress.done, opened.progress.total) == (1, 3)
    with django_assert_num_queries(1):
        assert module_open(learner=learner, module=two, modules=[one, two, three]) == opened
