"""The importer: all or nothing, idempotent, keyed by module number; and the exporter."""

import re
from pathlib import Path

import pytest

from courses.importer import modules_export, modules_sync
from courses.models import Activity, Module
from reflections.models import Reflection
from reflections.services import reflection_save
from testing.factories import CONTENT_DIR, SEED, TEST_DATA, import_modules, module_text, without_planners

pytestmark = pytest.mark.django_db

CONTENT_ONE = CONTENT_DIR / "01-what-negotiation-actually-is.md"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def canonical_module(*, key: str, prompt: str = "Write about it.") -> str:
    return (
        "---\nnumber: 7\ntitle: Listening\n---\n\nOpening.\n\n"
        "::: takeaways\n- One.\n:::\n\n"
        f"::: reflection {key}\n{prompt}\n:::\n\n"
        "::: outcome\nYou listen.\n:::\n"
    )


def html_of(module: Module, kind: str) -> str:
    return module.activities.get(kind=kind).text_html


def writes_in(captured_queries: list[dict]) -> list[str]:
    return [query["sql"] for query in captured_queries if WRITES.match(query["sql"])]


def database_state() -> list[tuple]:
    modules = Module.objects.order_by("number").values_list("number", "slug", "title", "content_hash", "updated_at")
    prompts = (
        Activity.objects.filter(kind="reflection")
        .order_by("pk")
        .values_list("pk", "module__number", "key", "text", "is_active")
    )
    return [*modules, *prompts]


def test_import_creates_modules_with_one_active_prompt_each():
    """Importing the three test modules creates them, each with one active prompt keyed 'reflection'."""
    result = modules_sync(paths=[TEST_DATA])
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == ([1, 2, 3], [], [])
    modules = Module.objects.order_by("number")
    assert [(m.number, m.slug, m.minutes, m.minutes_declared) for m in modules] == [
        (1, "what-negotiation-actually-is", 13, 13),
        (2, "anchors-ranges", 9, 9),
        (3, "trading-concessions", 8, None),
    ]
    prompts = Activity.objects.filter(kind="reflection").order_by("module__number")
    assert [(p.module.number, p.key, p.is_active) for p in prompts] == [
        (1, "reflection", True),
        (2, "reflection", True),
        (3, "reflection", True),
    ]
    assert prompts[0].text.startswith("Think of a recent negotiation")


def test_import_stores_sanitised_html_with_symbols_literal():
    """The rendered HTML is stored at import: module 2's '&' and '<' are escaped, its sections are headings."""
    modules_sync(paths=[TEST_DATA / "module-02-anchors-and-ranges.txt"])
    module = Module.objects.get(number=2)
    lesson, takeaways = html_of(module, "lesson"), html_of(module, "takeaways")
    assert lesson.count("<h2") == 2
    assert "the budget is &lt; 10k" in lesson
    assert "<li>A range is a menu of value when each end has a reason &lt;not a bluff&gt;.</li>" in takeaways
    assert module.outcome_html.startswith("<p>You name numbers deliberately")
    assert (
        Activity.objects.filter(kind="reflection")
        .get(module=module)
        .text_html.startswith("<p>Recall a price conversation")
    )


def test_import_stores_hostile_text_without_markup(tmp_path):
    """A module whose lines look like HTML and Markdown links is stored without a script or javascript: link."""
    path = write(
        tmp_path,
        "hostile.txt",
        module_text(
            body="Opening <script>alert(1)</script>.\n[x](javascript:alert(1)) is text.\nA heading\nA paragraph.",
            takeaways="Hold on to these\n- <img src=x onerror=alert(1)>",
        ),
    )
    modules_sync(paths=[path])
    module = Module.objects.get(number=7)
    stored = html_of(module, "lesson") + html_of(module, "takeaways")
    assert "<script" not in stored and "<img" not in stored and 'href="javascript' not in stored
    assert "Opening &lt;script&gt;alert(1)&lt;/script&gt;." in html_of(module, "lesson")
    assert "[x](javascript:alert(1)) is text." in html_of(module, "lesson")


def test_reimporting_unchanged_files_writes_nothing(django_assert_max_num_queries):
    """A second import of the same files reports them unchanged and issues no INSERT, UPDATE or DELETE."""
    import_modules(TEST_DATA)
    before = database_state()
    # savepoint, release, the course, slug clashes, the modules
    with django_assert_max_num_queries(5) as queries:
        result = modules_sync(paths=[TEST_DATA])
    assert (result.created, result.updated, result.unchanged) == ([], [], [1, 2, 3])
    assert writes_in(queries.captured_queries) == []
    assert database_state() == before


def content_one_without_planners(tmp_path: Path) -> Path:
    path = tmp_path / CONTENT_ONE.name
    path.write_text(without_planners(CONTENT_ONE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_seed_then_canonical_content_is_unchanged(tmp_path):
    """The plain-text seed and content/'s canonical file of Module 1 (but for its planner, which plain text
    cannot write) are the same module: no change the second time."""
    modules_sync(paths=[SEED])
    before = database_state()
    result = modules_sync(paths=[content_one_without_planners(tmp_path)])
    assert (result.created, result.updated, result.unchanged) == ([], [], [1])
    assert database_state() == before


def test_canonical_content_then_seed_is_unchanged(tmp_path):
    """The other way round too: content/ first (planner aside), then the seed, changes nothing."""
    import_modules(content_one_without_planners(tmp_path))
    before = database_state()
    result = modules_sync(paths=[SEED])
    assert (result.created, result.updated, result.unchanged) == ([], [], [1])
    assert database_state() == before


def test_seed_then_content_adds_the_planner_and_keeps_the_prompt(learner):
    """Importing content/ over the seed adds Module 1's planner; the reflection prompt and its answers stay."""
    import_modules(SEED)
    prompt = Activity.objects.get(kind="reflection")
    reflection_save(learner=learner, activity=prompt, text="Kept.", base_revision=0)
    result = modules_sync(paths=[CONTENT_DIR])
    assert (result.created, result.updated, result.warnings) == ([], [1], [])
    planner = Activity.objects.get(kind="planner")
    assert (planner.key, planner.is_active) == ("next-negotiation", True)
    assert [item["id"] for item in planner.items] == ["counterpart", "positions", "interests", "options", "opening"]
    assert Activity.objects.get(kind="reflection") == prompt
    assert Reflection.objects.get(learner=learner).text == "Kept."


def test_reworded_prompt_keeps_learners_reflections_attached(tmp_path, learner):
    """Rewording a prompt under the same id updates the module and the same Prompt row; the reflection stays on it."""
    path = write(tmp_path, "module.txt", module_text())
    modules_sync(paths=[path])
    prompt = Activity.objects.filter(kind="reflection").get(module__number=7)
    saved = reflection_save(learner=learner, activity=prompt, text="I listened.", base_revision=0).reflection
    updated_at = Module.objects.get(number=7).updated_at

    write(tmp_path, "module.txt", module_text(reflection="Reflection · write it down\nWrite about it, in detail."))
    result = modules_sync(paths=[path])

    assert (result.created, result.updated, result.unchanged) == ([], [7], [])
    assert Module.objects.get(number=7).updated_at > updated_at
    assert list(Activity.objects.filter(kind="reflection").values_list("pk", "text", "is_active")) == [
        (prompt.pk, "Write about it, in detail.", True)
    ]
    assert Reflection.objects.get(pk=saved.pk).activity_id == prompt.pk
    assert Reflection.objects.get(pk=saved.pk).text == "I listened."


def test_changed_body_updates_the_module_in_place(tmp_path):
    """A changed module is updated under the same primary key, with its HTML re-rendered."""
    path = write(tmp_path, "module.txt", module_text())
    modules_sync(paths=[path])
    module = Module.objects.get(number=7)
    write(tmp_path, "module.txt", module_text(outcome="What you walk away with\nYou listen & learn."))
    result = modules_sync(paths=[path])
    assert result.updated == [7]
    updated = Module.objects.get(number=7)
    assert updated.pk == module.pk
    assert updated.outcome_html == "<p>You listen &amp; learn.</p>\n"
    assert updated.content_hash != module.content_hash


def test_changed_reflection_id_deactivates_the_old_prompt(tmp_path, learner):
    """A new reflection id makes a new active prompt; the old one is kept, inactive, with its reflections."""
    write(tmp_path, "listening.md", canonical_module(key="listening"))
    modules_sync(paths=[tmp_path])
    old = Activity.objects.filter(kind="reflection").get(module__number=7)
    saved = reflection_save(learner=learner, activity=old, text="Mine.", base_revision=0).reflection

    write(tmp_path, "listening.md", canonical_module(key="hearing"))
    result = modules_sync(paths=[tmp_path])

    assert result.updated == [7]
    assert list(Activity.objects.filter(kind="reflection").order_by("key").values_list("key", "text", "is_active")) == [
        ("hearing", "Write about it.", True),
        ("listening", "Write about it.", False),
    ]
    assert Activity.objects.filter(kind="reflection").get(key="listening").pk == old.pk
    assert Reflection.objects.get(pk=saved.pk).activity_id == old.pk


def test_returning_to_an_old_reflection_id_reactivates_its_prompt(tmp_path, learner):
    """Switching back to an earlier id reactivates that Prompt row, so its reflections show again."""
    write(tmp_path, "m.md", canonical_module(key="listening"))
    modules_sync(paths=[tmp_path])
    old = Activity.objects.filter(kind="reflection").get(module__number=7)
    write(tmp_path, "m.md", canonical_module(key="hearing"))
    modules_sync(paths=[tmp_path])
    write(tmp_path, "m.md", canonical_module(key="listening"))
    modules_sync(paths=[tmp_path])
    active = Activity.objects.filter(kind="reflection").get(module__number=7, is_active=True)
    assert (active.pk, active.key) == (old.pk, "listening")
    assert Activity.objects.filter(kind="reflection").filter(module__number=7).count() == 2


def test_check_writes_nothing_but_reports_what_would_change(tmp_path):
    """With check=True the result says what would be created or updated, and the database is untouched."""
    import_modules(SEED)
    before = database_state()
    write(tmp_path, "01.txt", SEED.read_text(encoding="utf-8").replace("Take it.", "Take it now."))
    write(tmp_path, "07.txt", module_text())
    result = modules_sync(paths=[tmp_path], check=True)
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == ([7], [1], [])
    assert database_state() == before


def test_check_on_an_empty_database_creates_nothing():
    """A --check of the test modules leaves no module and no prompt behind."""
    result = modules_sync(paths=[TEST_DATA], check=True)
    assert result.created == [1, 2, 3]
    assert not Module.objects.exists()
    assert not Activity.objects.filter(kind="reflection").exists()


def test_one_malformed_file_among_good_ones_writes_nothing(tmp_path):
    """A malformed file stops the whole import: no module is created or updated, and the error names file and line."""
    import_modules(SEED)
    before = database_state()
    write(tmp_path, "01.txt", SEED.read_text(encoding="utf-8").replace("Take it.", "Take it now."))
    write(tmp_path, "02.txt", (TEST_DATA / "module-02-anchors-and-ranges.txt").read_text(encoding="utf-8"))
    bad = write(tmp_path, "07.txt", module_text(takeaways="Hold on to these\n- One.\nTwo."))
    result = modules_sync(paths=[tmp_path])
    assert not result.ok
    assert [str(error) for error in result.errors] == [
        f"{bad}:9: expected a takeaway line starting with '- ' but found 'Two.'"
    ]
    assert (result.created, result.updated) == ([], [])
    assert database_state() == before


def test_every_malformed_file_is_reported(tmp_path):
    """All malformed files are reported in one run, each with its own path and line."""
    first = write(tmp_path, "a.txt", module_text(header="Modul 7"))
    second = write(tmp_path, "b.md", "---\nnumber: 8\ntitle: T\nauthor: Dana\n---\n\nText.\n")
    result = modules_sync(paths=[tmp_path])
    assert [(error.path, error.line) for error in result.errors] == [(str(first), 1), (str(second), 4)]
    assert not Module.objects.exists()


def test_invalid_utf8_is_reported_with_file_and_line(tmp_path):
    """A file that is not UTF-8 is an error naming the file and the line of the first bad byte."""
    good = module_text().encode("utf-8")
    lines = good.split(b"\n")
    lines[3] = b"Opening paragraph \xff\xfe broken."
    path = tmp_path / "latin.txt"
    path.write_bytes(b"\n".join(lines))
    result = modules_sync(paths=[TEST_DATA, path])
    assert [str(error) for error in result.errors] == [f"{path}:4: expected UTF-8 text; found an invalid byte"]
    assert not Module.objects.exists()


def test_duplicate_module_numbers_across_files_are_an_error(tmp_path):
    """Two files for the same module number are an error naming both files; nothing is written."""
    first = write(tmp_path, "a.txt", module_text())
    second = write(tmp_path, "b.txt", module_text(title="Another Title"))
    result = modules_sync(paths=[first, second])
    assert [str(error) for error in result.errors] == [f"{second}: module number 7 is also used by {first}"]
    assert not Module.objects.exists()


def test_duplicate_slugs_across_files_are_an_error(tmp_path):
    """Two modules whose titles give the same slug are an error naming both files."""
    first = write(tmp_path, "a.txt", module_text())
    second = write(tmp_path, "b.txt", module_text(header="Module 8"))
    result = modules_sync(paths=[first, second])
    assert [str(error) for error in result.errors] == [f"{second}: module slug 'listening' is also used by {first}"]
    assert not Module.objects.exists()


def test_slug_of_another_module_in_the_database_is_an_error(tmp_path):
    """A module may not take the slug an existing module of another number already has."""
    import_modules(SEED)
    before = database_state()
    write(tmp_path, "good.txt", module_text(header="Module 8", title="Silence · Letting It Work"))
    write(tmp_path, "clash.txt", module_text(title="What Negotiation Actually Is"))
    result = modules_sync(paths=[tmp_path])
    assert [str(error) for error in result.errors] == [
        "<module>: slug 'what-negotiation-actually-is' of module 7 is already used by module 1"
    ]
    assert database_state() == before


def test_nonexistent_path_is_an_error(tmp_path):
    """A path with nothing there is an error naming it, and the files that do exist are not imported."""
    missing = tmp_path / "nowhere.txt"
    result = modules_sync(paths=[SEED, missing])
    assert [str(error) for error in result.errors] == [
        f"{missing}: expected a module file or a folder, but nothing is there"
    ]
    assert not Module.objects.exists()


def test_folders_are_searched_recursively_for_md_and_txt(tmp_path):
    """A folder brings in every .md and .txt below it, at any depth, and nothing else."""
    write(tmp_path, "one.txt", SEED.read_text(encoding="utf-8"))
    two = CONTENT_ONE.read_text(encoding="utf-8").replace("number: 1", "number: 2").replace("slug: what-", "slug: ")
    write(tmp_path, "deep/er/two.md", two)
    write(tmp_path, "deep/three.txt", module_text(header="Module 3"))
    write(tmp_path, "deep/notes.rst", "not a module")
    write(tmp_path, "deep/data.json", "{}")
    write(tmp_path, "README", "not a module either")
    result = modules_sync(paths=[tmp_path])
    assert result.ok, [str(error) for error in result.errors]
    assert sorted(result.created) == [1, 2, 3]
    assert list(Module.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_files_and_folders_can_be_mixed():
    """Paths may name files and folders together; strings work as well as Paths."""
    result = modules_sync(paths=[str(SEED), TEST_DATA / "module-03-concessions.txt"])
    assert result.created == [1, 3]


def test_modules_missing_from_the_files_are_left_in_place(tmp_path):
    """Importing a subset leaves the other modules and their prompts alone."""
    import_modules(TEST_DATA)
    before = database_state()
    result = modules_sync(paths=[SEED])
    assert result.unchanged == [1]
    assert database_state() == before


def test_export_of_the_seed_is_exactly_the_content_file(tmp_path):
    """content/01-what-negotiation-actually-is.md, but for its planner, is exactly what export_modules
    writes from the plain-text seed."""
    import_modules(SEED)
    written = modules_export(directory=tmp_path / "out")
    assert [path.name for path in written] == [CONTENT_ONE.name]
    assert written[0].read_text(encoding="utf-8") == without_planners(CONTENT_ONE.read_text(encoding="utf-8"))


def test_export_writes_every_module_and_reimports_unchanged(tmp_path):
    """Exported files re-import as unchanged, whatever form the modules came from."""
    import_modules(TEST_DATA)
    before = database_state()
    written = modules_export(directory=tmp_path)
    assert [path.name for path in written] == [
        "01-what-negotiation-actually-is.md",
        "02-anchors-ranges.md",
        "03-trading-concessions.md",
    ]
    assert "minutes:" not in written[2].read_text(encoding="utf-8")
    result = modules_sync(paths=[tmp_path])
    assert (result.created, result.updated, result.unchanged) == ([], [], [1, 2, 3])
    assert database_state() == before


def test_export_uses_the_active_prompt(tmp_path):
    """After a reflection id changes, the export carries the new id and prompt, not the retired one."""
    write(tmp_path / "src", "m.md", canonical_module(key="listening"))
    modules_sync(paths=[tmp_path / "src"])
    write(tmp_path / "src", "m.md", canonical_module(key="hearing", prompt="Hear it."))
    modules_sync(paths=[tmp_path / "src"])
    (exported,) = modules_export(directory=tmp_path / "out")
    assert "\n::: reflection hearing\nHear it.\n:::\n" in exported.read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "warned"),
    [
        ("Module 7 · ~5 min", False),  # computed: 1 min of reading + 5 for the prompt = 6
        ("Module 7 · ~9 min", False),  # 3 minutes off, half of 6
        ("Module 7 · ~10 min", True),  # 4 minutes off, more than half
        ("Module 7 · ~40 min", True),  # more than 5 minutes off
        ("Module 7 · ~2 min", True),
    ],
)
def test_check_warns_when_the_declared_minutes_are_far_from_the_computed(tmp_path, header, warned):
    """`import_modules --check` says which module, both figures and the formula; writes nothing."""
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "listening.txt"
    path.write_text(module_text(header=header), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_modules", "--check", str(path), stdout=out, stderr=err)
    declared = re.search(r"~(\d+) min", header).group(1)
    expected = (
        f"warning: module 7: declares ~{declared} min, but its text reads as ~6 min (22 words at 100 a minute, "
        "plus 5 min for each of 1 reflection prompts); check the 'minutes:' line"
    )
    assert (expected in err.getvalue()) is warned, err.getvalue()
    assert "would import: 1 new" in out.getvalue() and not Module.objects.exists()


@pytest.mark.django_db
def test_the_seed_declares_what_its_text_computes():
    """Module 1 declares ~13 min, as its 742 words and one prompt compute: no warning."""
    result = modules_sync(paths=[CONTENT_DIR], check=True)
    assert result.ok and result.warnings == []
