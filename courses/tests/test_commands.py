"""The import_modules and export_modules management commands, as an author runs them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.models import Activity, Module
from testing.factories import CONTENT_DIR, SEED, TEST_DATA, import_modules, module_text, without_planners

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_import_prints_a_summary():
    """import_modules imports the files and folders named and says how many were new, updated and unchanged."""
    stdout, stderr = run("import_modules", str(TEST_DATA))
    assert stdout == "imported: 3 new, 0 updated, 0 unchanged\n"
    assert stderr == ""
    assert list(Module.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_second_import_reports_everything_unchanged():
    """Running the same import twice reports the modules unchanged the second time."""
    run("import_modules", str(TEST_DATA))
    stdout, _ = run("import_modules", str(TEST_DATA))
    assert stdout == "imported: 0 new, 0 updated, 3 unchanged\n"


def test_import_reports_updates(tmp_path):
    """A changed file is counted as updated."""
    run("import_modules", str(SEED))
    changed = tmp_path / "01.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("Take it.", "Take it now."), encoding="utf-8")
    stdout, _ = run("import_modules", str(changed), str(TEST_DATA / "module-02-anchors-and-ranges.txt"))
    assert stdout == "imported: 1 new, 1 updated, 0 unchanged\n"


def test_bad_input_lists_file_line_and_message_and_imports_nothing(tmp_path):
    """On malformed files the command fails with CommandError, listing each as 'file:line: message'."""
    bad_header = tmp_path / "a.txt"
    bad_header.write_text(module_text(header="Lesson 7"), encoding="utf-8")
    no_outcome = tmp_path / "b.txt"
    no_outcome.write_text(module_text(header="Module 8", outcome=""), encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError, match=r"^2 error\(s\); nothing was imported\.$"):
        call_command("import_modules", str(TEST_DATA), str(tmp_path), stdout=StringIO(), stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        f"{bad_header}:1: expected 'Module N · ~M min' but found 'Lesson 7'",
        f"{no_outcome}:13: expected a line 'What you walk away with' before the end of the file",
    ]
    assert not Module.objects.exists()


def test_missing_path_fails(tmp_path):
    """A path that does not exist fails the command with its name."""
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_modules", str(tmp_path / "nope"), stdout=StringIO(), stderr=stderr)
    assert stderr.getvalue() == f"{tmp_path / 'nope'}: expected a module file or a folder, but nothing is there\n"


def test_check_validates_and_writes_nothing():
    """--check says what would be imported and leaves the database empty."""
    stdout, _ = run("import_modules", "--check", str(TEST_DATA))
    assert stdout == "would import: 3 new, 0 updated, 0 unchanged\n"
    assert not Module.objects.exists()
    assert not Activity.objects.filter(kind="reflection").exists()


def test_check_reports_errors_like_an_import(tmp_path):
    """--check on a malformed file fails the same way an import does."""
    path = tmp_path / "bad.md"
    path.write_text("number: 7\n", encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_modules", "--check", str(path), stdout=StringIO(), stderr=stderr)
    assert stderr.getvalue() == f"{path}:1: expected 'Module N · ~M min' but found 'number: 7'\n"


def test_import_requires_a_path():
    """Without a path the command refuses to run."""
    with pytest.raises(CommandError, match="the following arguments are required: paths"):
        call_command("import_modules")


def test_export_writes_canonical_files_that_reimport_unchanged(tmp_path):
    """export_modules DIR writes one canonical file per module, and importing them changes nothing."""
    import_modules(TEST_DATA)
    hashes = list(Module.objects.values_list("content_hash", "updated_at"))
    out = tmp_path / "exported"
    stdout, _ = run("export_modules", str(out))
    course = out / "sales-blueprint"  # one folder per course, with its course.yaml
    names = ["01-what-negotiation-actually-is.md", "02-anchors-ranges.md", "03-trading-concessions.md"]
    assert stdout.splitlines() == [*(str(course / name) for name in names), f"exported 3 module(s) to {out}"]
    assert sorted(path.name for path in course.iterdir()) == sorted(["course.yaml", *names])
    modules = [path for path in course.iterdir() if path.suffix == ".md"]
    assert all(path.read_text(encoding="utf-8").startswith("---\nnumber: ") for path in modules)

    stdout, _ = run("import_modules", str(out))
    assert stdout == "imported: 0 new, 0 updated, 3 unchanged\n"
    assert list(Module.objects.values_list("content_hash", "updated_at")) == hashes


def test_export_of_the_seed_reproduces_content(tmp_path):
    """Exporting the imported seed writes content/'s Module 1 file byte for byte, but for the
    planner, which the plain-text form has no way to write."""
    run("import_modules", str(SEED))
    run("export_modules", str(tmp_path))
    exported = tmp_path / "sales-blueprint" / "01-what-negotiation-actually-is.md"
    content = (CONTENT_DIR / exported.name).read_text(encoding="utf-8")
    assert exported.read_text(encoding="utf-8") == without_planners(content)


def test_export_of_content_reproduces_it_planner_included(tmp_path):
    """Importing content/ and exporting it writes Module 1's file byte for byte, its planner included."""
    run("import_modules", str(CONTENT_DIR))
    run("export_modules", str(tmp_path))
    exported = tmp_path / "sales-blueprint" / "01-what-negotiation-actually-is.md"
    assert "::: planner next-negotiation\n" in exported.read_text(encoding="utf-8")
    assert exported.read_bytes() == (CONTENT_DIR / exported.name).read_bytes()


def test_export_of_an_empty_course_writes_nothing(tmp_path):
    """With no modules the export creates the folder and reports none."""
    stdout, _ = run("export_modules", str(tmp_path / "empty"))
    assert stdout == f"exported 0 module(s) to {tmp_path / 'empty'}\n"
    assert list((tmp_path / "empty").iterdir()) == []


def test_long_imports_report_progress_every_tenth(tmp_path):
    """Reading 50 or more files prints progress to stderr every 10% when stderr is not a terminal."""
    for number in range(1, 51):
        text = module_text(header=f"Module {number}", title=f"Module Number {number}")
        (tmp_path / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    stdout, stderr = run("import_modules", str(tmp_path))
    assert stdout == "imported: 50 new, 0 updated, 0 unchanged\n"
    assert stderr.splitlines() == [f"reading module files: {done}/50" for done in range(5, 51, 5)]


def test_short_imports_and_verbosity_zero_print_no_progress(tmp_path):
    """Fewer than 50 files, or --verbosity 0, print no progress lines."""
    _, stderr = run("import_modules", str(TEST_DATA))
    assert stderr == ""
    for number in range(1, 51):
        text = module_text(header=f"Module {number}", title=f"Module Number {number}")
        (tmp_path / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    _, stderr = run("import_modules", "--verbosity", "0", "--check", str(tmp_path))
    assert stderr == ""
