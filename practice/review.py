"""The path review at the end of a run: what each choice led to, and where it parted from a model path."""

from dataclasses import dataclass, field

from .models import Run
from .scenarios import Scenario


@dataclass(frozen=True)
class ReviewStep:
    number: int
    html: str  # the passage as the learner saw it
    choice: str  # what they chose there ("" at the ending)
    on_model_path: bool | None  # None: not known (the scenario has changed) or the ending
    model_choices: list[str] = field(default_factory=list)  # where they parted: what a model path took


@dataclass(frozen=True)
class Review:
    steps: list[ReviewStep]
    ending: str
    best: bool
    parted_at: int | None  # the number of the step where the run left every model path


def path_review(run: Run, scenario: Scenario) -> Review:
    """Each step with the choice made; the first choice that left every shortest path to a model
    ending is marked, with the choices that would have kept to one."""
    steps: list[ReviewStep] = []
    parted_at = None
    for number, (step, following) in enumerate(zip(run.steps, [*run.steps[1:], None], strict=True), 1):
        name, choice = step["passage"], step.get("choice", "")
        on_path, model = None, []
        if following is not None and scenario.has(name) and name in scenario.to_best:
            target = following["passage"]
            on_path = scenario.to_best.get(target) == scenario.to_best[name] - 1
            if not on_path and parted_at is None:
                parted_at = number
                model = [c.text for c in scenario.model_choices(name)]
        steps.append(ReviewStep(number, step["html"], choice if following is not None else "", on_path, model))
    return Review(steps=steps, ending=run.ending, best=run.best, parted_at=parted_at)
