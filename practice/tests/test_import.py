"""Importing scenarios with their modules: all or nothing, unchanged means untouched, runs outlive changes."""

import shutil
from pathlib import Path

import pytest

from courses.importer import modules_export, modules_sync
from courses.models import Activity, Module
from practice.models import Run
from practice.services import run_choose, run_start
from testing.factories import CONTENT_DIR, SMALL_SCENARIO, make_learner

pytestmark = pytest.mark.django_db

SMALL = SMALL_SCENARIO
MODULE_ONE = CONTENT_DIR / "01-what-negotiation-actually-is.md"


def folder_with(tmp_path: Path, *files: tuple[str, str]) -> Path:
    shutil.copy(MODULE_ONE, tmp_path / MODULE_ONE.name)
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def scenario_of(module: Module) -> Activity:
    return module.activities.get(kind="scenario", is_active=True)


def test_a_scenario_becomes_an_activity_of_its_module_after_the_takeaways(tmp_path):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text()))
    result = modules_sync(paths=[folder])
    assert result.ok, [str(e) for e in result.errors]
    module = Module.objects.get(number=1)
    kinds = list(module.activities.filter(is_active=True).values_list("kind", flat=True))
    assert kinds.index("scenario") == kinds.index("takeaways") + 1
    scenario = scenario_of(module)
    assert (scenario.key, scenario.text) == ("the-discount-request", "The discount request")
    passages = {p["name"]: p for p in scenario.items["passages"]}
    assert scenario.items["start"] == "Monday call"
    assert passages["Monday call"]["html"].startswith("<p>Dana, the buyer, opens:")  # rendered once, at import
    assert "[[" not in passages["Monday call"]["html"]  # the choices are buttons, not text


def test_reimporting_an_unchanged_scenario_writes_nothing(tmp_path):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text()))
    assert modules_sync(paths=[folder]).ok
    before = Module.objects.get(number=1).updated_at
    result = modules_sync(paths=[folder])
    assert result.unchanged == [1] and not result.updated
    assert Module.objects.get(number=1).updated_at == before


def test_a_scenario_file_alone_joins_a_module_already_imported(tmp_path):
    assert modules_sync(paths=[MODULE_ONE]).ok
    twee = tmp_path / "discount.twee"
    twee.write_text(SMALL.read_text(), encoding="utf-8")
    result = modules_sync(paths=[twee])
    assert result.ok and result.updated == [1], [str(e) for e in result.errors]
    module = Module.objects.get(number=1)
    assert scenario_of(module).key == "the-discount-request"
    assert module.activities.filter(kind="reflection", is_active=True).count() == 1  # the module is otherwise as it was
    assert modules_sync(paths=[twee]).unchanged == [1]


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ('"module": 1', '"module": 99', 9, "module 99 of course 'sales-blueprint', and there is no such module"),
        ("[[Stalemate]]", "[[Nowhere]]", 26, "expected a passage named 'Nowhere'"),
    ],
)
def test_a_broken_scenario_refuses_the_whole_import_naming_file_and_line(tmp_path, old, new, line, expected):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text().replace(old, new)))
    result = modules_sync(paths=[folder])
    assert not result.ok
    (error,) = result.errors
    assert error.path.endswith("discount.twee") and error.line == line and expected in error.message
    assert not Module.objects.exists()  # nothing written, not even the good module


def test_two_scenarios_with_one_ifid_are_refused(tmp_path):
    text = SMALL.read_text()
    folder = folder_with(
        tmp_path, ("a.twee", text), ("b.twee", text.replace("The discount request", "Another request"))
    )
    result = modules_sync(paths=[folder])
    assert any("ifid" in error.message for error in result.errors)
    assert not Module.objects.exists()


def test_past_runs_stay_readable_when_the_scenario_changes(tmp_path):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text()))
    assert modules_sync(paths=[folder]).ok
    learner = make_learner()
    scenario = scenario_of(Module.objects.get(number=1))
    run = run_start(learner=learner, activity=scenario, after=None)
    run = run_choose(run=run, at=1, choice=0)  # "I can do 10%." -> an ending
    changed = SMALL.read_text().replace("You meet at 15%.", "You settle at 12%.")
    (folder / "discount.twee").write_text(changed, encoding="utf-8")
    assert modules_sync(paths=[folder]).updated == [1]
    run = Run.objects.get(pk=run.pk)
    assert "You meet at 15%." in run.steps[-1]["html"]  # what the learner saw, kept
    assert "You settle at 12%." in str(scenario_of(Module.objects.get(number=1)).items)


def test_the_exporter_writes_scenarios_back_as_twee(tmp_path):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text()))
    assert modules_sync(paths=[folder]).ok
    written = modules_export(directory=tmp_path / "out")
    assert sorted(p.suffix for p in written) == [".md", ".twee"]
    result = modules_sync(paths=[tmp_path / "out"])
    assert result.ok and result.unchanged == [1], [str(e) for e in result.errors]


def test_importing_a_module_without_its_scenario_hides_it_and_says_so(tmp_path):
    folder = folder_with(tmp_path, ("discount.twee", SMALL.read_text()))
    assert modules_sync(paths=[folder]).ok
    learner = make_learner()
    run = run_start(learner=learner, activity=scenario_of(Module.objects.get(number=1)), after=None)
    result = modules_sync(paths=[folder / MODULE_ONE.name])
    assert result.warnings == [
        "module 1: scenario 'the-discount-request' is hidden: its .twee file was not imported with the module"
    ]
    assert not Module.objects.get(number=1).activities.filter(kind="scenario", is_active=True).exists()
    assert modules_sync(paths=[folder]).ok  # imported again with it: the same activity, the run still on it
    assert scenario_of(Module.objects.get(number=1)).pk == run.activity_id
