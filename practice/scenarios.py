"""A scenario as stored on its activity (``courses.formats.twee`` wrote it): passages, choices, model paths."""

from dataclasses import dataclass
from functools import cached_property

from courses.formats.twee import BEST, ENDING, passage_distances
from courses.models import Activity


@dataclass(frozen=True)
class Choice:
    index: int
    text: str
    target: str


class Scenario:
    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.passages: dict[str, dict] = {p["name"]: p for p in activity.items["passages"]}

    @property
    def title(self) -> str:
        return self.activity.text

    @property
    def start(self) -> str:
        return self.activity.items["start"]

    def has(self, name: str) -> bool:
        return name in self.passages

    def choices(self, name: str) -> list[Choice]:
        return [Choice(i, link["text"], link["target"]) for i, link in enumerate(self.passages[name]["links"])]

    def is_ending(self, name: str) -> bool:
        return ENDING in self.passages[name]["tags"]

    def is_best(self, name: str) -> bool:
        return BEST in self.passages[name]["tags"]

    @cached_property
    def to_best(self) -> dict[str, int]:
        """The fewest choices from each passage to a model ending (absent: none reachable from it)."""
        return passage_distances(list(self.passages.values()), is_goal=lambda p: BEST in p["tags"])

    def model_choices(self, name: str) -> list[Choice]:
        """The choices from this passage that stay on a shortest path to a model ending."""
        distance = self.to_best.get(name)
        if distance is None:
            return []
        return [c for c in self.choices(name) if self.to_best.get(c.target) == distance - 1]

    def step(self, name: str) -> dict:
        """A step of a run as kept: the passage's name, the HTML shown, whether it ends the run."""
        passage = self.passages[name]
        return {"passage": name, "html": passage["html"], "ending": self.is_ending(name), "best": self.is_best(name)}
