"""Module 1's scenario, a scenario written elsewhere, broken files, and an independent parser's reading."""

import json
import shutil
import subprocess
from collections import deque
from pathlib import Path

import pytest
from django.urls import reverse

from courses.formats.twee import parse_twee
from courses.importer import modules_sync
from courses.models import Activity, Module
from practice.models import Run
from testing.factories import CONTENT_DIR, ROOT, SMALL_SCENARIO

FIXTURES = Path(__file__).parent / "fixtures" / "twee"
MODULE_ONE = CONTENT_DIR / "01-what-negotiation-actually-is.md"
MODULE_ONE_SCENARIO = CONTENT_DIR / "01-what-negotiation-actually-is.twee"
ELSEWHERE = FIXTURES / "elsewhere.twee"

# Each broken file, the line the importer must name, and what it must say (fixtures/twee/README.md).
BROKEN = {
    "missing-link-target.twee": (24, "expected a passage named 'Phased start'"),
    "unreachable-passage.twee": (37, "no path from the start reaches passage 'Offer a phased start'"),
    "dead-end.twee": (38, "'Sam goes quiet' is a dead end"),
    "loop-without-exit.twee": (38, "no ending can be reached from passage 'Haggle'"),
    "missing-start.twee": (4, "expected StoryData 'start'"),
    "unknown-start.twee": (9, "there is no passage 'The discount call'"),
    "duplicate-passage.twee": (37, "'Discount given' is also the passage on line 27"),
    "unknown-module.twee": (10, "names module 99"),
    "malformed-storydata.twee": (9, "expected StoryData to be JSON"),
    "malformed-header.twee": (27, "expected ']' to close the tags"),
    "harlowe-macro.twee": (21, "Harlowe macro"),
    "sugarcube-macro.twee": (21, "SugarCube macro"),
    "script-passage.twee": (37, "is a script"),
    "no-storytitle.twee": (1, "expected a ':: StoryTitle' passage"),
}


def test_every_broken_file_is_listed():
    assert sorted(BROKEN) == sorted(p.name for p in FIXTURES.glob("*.twee") if p != ELSEWHERE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_scenario_is_refused_with_file_and_line_and_nothing_is_written(tmp_path, name):
    shutil.copy(MODULE_ONE, tmp_path)
    shutil.copy(FIXTURES / name, tmp_path)
    result = modules_sync(paths=[tmp_path])
    line, expected = BROKEN[name]
    assert [(Path(e.path).name, e.line) for e in result.errors] == [(name, line)], [str(e) for e in result.errors]
    assert expected in result.errors[0].message, str(result.errors[0])
    assert not Module.objects.exists() and not Activity.objects.exists()


def paths_to_each_ending(activity: Activity) -> dict[str, list[int]]:
    """For every ending, the choice indexes of a shortest way there from the start."""
    passages = {p["name"]: p for p in activity.items["passages"]}
    routes = {activity.items["start"]: []}
    queue = deque([activity.items["start"]])
    while queue:
        name = queue.popleft()
        for index, link in enumerate(passages[name]["links"]):
            if link["target"] not in routes:
                routes[link["target"]] = [*routes[name], index]
                queue.append(link["target"])
    return {name: routes[name] for name, p in passages.items() if "ending" in p["tags"]}


def play(client, activity: Activity, choices: list[int]) -> Run:
    args = {"activity_id": activity.pk}
    latest = Run.objects.filter(activity=activity).order_by("-pk").first()
    client.post(reverse("practice:start", kwargs=args), {"after": latest.pk if latest else ""})
    run = Run.objects.filter(activity=activity).latest("pk")
    for at, choice in enumerate(choices, 1):
        assert (
            client.post(
                reverse("practice:choose", kwargs=args), {"run": run.pk, "at": at, "choice": choice}
            ).status_code
            == 302
        )
    run.refresh_from_db()
    return run


@pytest.mark.django_db
@pytest.mark.parametrize("source", [MODULE_ONE_SCENARIO, ELSEWHERE], ids=["module-one", "elsewhere"])
def test_a_scenario_plays_to_each_of_its_endings(tmp_path, signed_in_client, source):
    shutil.copy(MODULE_ONE, tmp_path)
    shutil.copy(source, tmp_path)
    result = modules_sync(paths=[tmp_path])
    assert result.ok, [str(e) for e in result.errors]
    activity = Module.objects.get(number=1).activities.get(kind="scenario", is_active=True)
    endings = paths_to_each_ending(activity)
    assert len(endings) >= 2
    for ending, choices in endings.items():
        run = play(signed_in_client, activity, choices)
        assert run.ending == ending and run.ended_at is not None
        page = signed_in_client.get(reverse("practice:run", args=[run.pk])).content.decode()
        assert ("You reached a model ending" in page) == run.best


def test_module_ones_scenario_is_written_from_the_module():
    scenario = parse_twee(MODULE_ONE_SCENARIO.read_text())
    endings = [p for p in scenario.passages if p.is_ending]
    assert scenario.module == 1 and len(scenario.passages) >= 12 and len(endings) >= 3
    assert any(p.is_best for p in endings)
    assert "20% discount" in scenario.passage(scenario.start).text
    # Every consequence says which idea of Module 1 the choice that led there follows or breaks.
    assert all("**Module 1:**" in p.text for p in scenario.passages if p.name != scenario.start)
    text = " ".join(p.text for p in scenario.passages).lower()
    for idea in ("budget", "payment", "phased", "investment", "interest", "position"):
        assert idea in text


def extwee(path: Path) -> dict:
    script = ROOT / "tools" / "extwee_dump.mjs"
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


@pytest.mark.parametrize("source", [MODULE_ONE_SCENARIO, ELSEWHERE, SMALL_SCENARIO], ids=lambda p: p.stem)
def test_an_independent_parser_reads_the_same_passages_tags_and_links(source):
    """extwee (npm) and Twine's link rules, against ours: the same story, passage for passage."""
    theirs = extwee(source)
    ours = parse_twee(source.read_text())
    assert (theirs["name"], theirs["ifid"], theirs["start"]) == (ours.title, ours.ifid, ours.start)
    assert [p["name"] for p in theirs["passages"]] == [p.name for p in ours.passages]
    for their, our in zip(theirs["passages"], ours.passages, strict=True):
        assert their["tags"] == our.tags, our.name
        assert [(link["text"], link["target"]) for link in their["links"]] == [
            (link.text, link.target) for link in our.links
        ], our.name
