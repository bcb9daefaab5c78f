"""Playing a scenario: a run is saved at each choice, so leaving and coming back resumes it."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.events import EventKind, learning_event
from courses.models import Activity

from .models import Run
from .scenarios import Scenario


class RunOutdated(Exception):
    """The scenario changed since this run began and the learner's passage is no longer in it."""


@transaction.atomic
def run_start(*, learner: User, activity: Activity, after: int | None) -> Run:
    """A new run from the start passage. ``after`` is the run the page showed (None: none); if the
    learner's latest run is another one, this is a repeated post (a double click) and that run is returned."""
    latest = (
        Run.objects.select_for_update()
        .filter(learner=learner, activity=activity)
        .order_by("-started_at", "-pk")
        .first()
    )
    if latest is not None and latest.pk != after:
        return latest
    scenario = Scenario(activity)
    now = timezone.now()
    return Run.objects.create(
        learner=learner, activity=activity, steps=[scenario.step(scenario.start)], started_at=now, updated_at=now
    )


@transaction.atomic
def run_choose(*, run: Run, at: int, choice: int) -> Run:
    """Take choice ``choice`` from the run's current passage.

    ``at`` is how many steps the page showed: a post from an older page (the back
    button, a second tab, a double click) changes nothing and the run is returned
    as it is. A choice the passage does not offer raises IndexError.
    """
    run = Run.objects.select_for_update().select_related("activity").get(pk=run.pk)
    if run.ended_at is not None or at != len(run.steps):
        return run
    scenario = Scenario(run.activity)
    name = run.current["passage"]
    if not scenario.has(name):
        raise RunOutdated
    choices = scenario.choices(name)
    if not 0 <= choice < len(choices):
        raise IndexError(choice)
    taken = choices[choice]
    run.steps[-1] = {**run.steps[-1], "choice": taken.text}
    run.steps.append(scenario.step(taken.target))
    now = timezone.now()
    run.updated_at = now
    if scenario.is_ending(taken.target):
        run.ended_at, run.ending, run.best = now, taken.target, scenario.is_best(taken.target)
    run.save(update_fields=["steps", "updated_at", "ended_at", "ending", "best"])
    if run.ended_at is not None:
        _run_ended(run)
    return run


def _run_ended(run: Run) -> None:
    learning_event(
        kind=EventKind.SCENARIO_ENDED,
        learner_id=run.learner_id,
        activity=run.activity,
        record=run.pk,
        ending=run.ending,
        best=run.best,
    )


def runs_delete(*, learner: User) -> None:
    """All the learner's runs (the account is being deleted)."""
    Run.objects.filter(learner=learner).delete()


def run_share(*, run: Run, shared: bool) -> Run:
    """Share a run (its path and review) with the learner's coaches, or make it private again at once."""
    run.shared_at = timezone.now() if shared else None
    Run.objects.filter(pk=run.pk).update(shared_at=run.shared_at)
    return run
