"""Sync course folders and module files into the database: validate everything, then write it all or nothing.

A module belongs to the course of the nearest folder above it holding a
``course.yaml``; a file outside any course folder belongs to the first course
(``formats.course.FIRST_COURSE``). Modules are identified by their course and
number. Re-importing an unchanged module writes nothing; a changed one is updated
in place, and its activities are matched by their stable keys so learners'
records stay attached. Activities and modules missing from the files are hidden
or left alone, never deleted (learners' writing hangs on them).
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from . import activities as activity_kinds
from .formats import ActivityDocument, ModuleDocument, ModuleFormatError, dump_canonical, parse_text
from .formats.course import COURSE_FILE, FIRST_COURSE, CourseDocument, dump_course, parse_course
from .formats.document import REFLECTION, TAKEAWAYS
from .formats.twee import SCENARIO, ScenarioDocument, dump_twee, parse_twee
from .models import Activity, Course, Module
from .rendering import RENDERING_VERSION, render_inline, render_markdown
from .selectors import CONTENT_VERSION_KEY

SUFFIXES = (".md", ".txt")
SCENARIO_SUFFIXES = (".twee", ".tw")
ProgressCallback = Callable[[int, int], None]


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[ModuleFormatError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def module_files(paths: Iterable[str | Path]) -> list[Path]:
    """The module and scenario files named, folders searched recursively for .md, .txt, .twee and .tw files."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES + SCENARIO_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise ModuleFormatError("expected a module file or a folder, but nothing is there", path=str(path))
    return files


def _read(path: Path, parse: Callable):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ModuleFormatError("expected UTF-8 text; found an invalid byte", line=line, path=str(path)) from None
    try:
        return parse(text)
    except ModuleFormatError as error:
        error.path = str(path)
        raise


def read_module_file(path: Path) -> ModuleDocument:
    return _read(path, parse_text)


@dataclass
class CourseFiles:
    """A course and the module documents that belong to it."""

    course: CourseDocument
    from_file: bool
    documents: list[ModuleDocument] = field(default_factory=list)
    scenarios: list[ScenarioDocument] = field(default_factory=list)


def _course_folder(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / COURSE_FILE).is_file():
            return folder
    return None


def _course_for(path: Path, courses: dict[Path | None, CourseFiles]) -> CourseFiles:
    folder = _course_folder(path)
    if folder not in courses:
        if folder is None:
            courses[None] = CourseFiles(FIRST_COURSE, from_file=False)
        else:
            courses[folder] = CourseFiles(_read(folder / COURSE_FILE, parse_course), from_file=True)
    return courses[folder]


def modules_parse(
    files: list[Path], *, on_progress: ProgressCallback | None = None
) -> tuple[list[CourseFiles], list[ModuleFormatError]]:
    """Every file parsed and sorted into its course; every error, not only the first."""
    courses: dict[Path | None, CourseFiles] = {}
    errors: list[ModuleFormatError] = []
    seen: dict[tuple, Path] = {}
    for index, path in enumerate(files, 1):
        try:
            course = _course_for(path, courses)
            if path.suffix in SCENARIO_SUFFIXES:
                scenario = _read(path, parse_twee)
                scenario.path = str(path)
                course.scenarios.append(scenario)
            else:
                document = read_module_file(path)
                errors.extend(_duplicates(course.course.slug, document, path, seen))
                errors.extend(_unknown_kinds(document, path))
                course.documents.append(document)
        except ModuleFormatError as error:
            errors.append(error)
        if on_progress:
            on_progress(index, len(files))
    errors.extend(_course_slug_clashes(list(courses.values())))
    if not errors:
        errors.extend(_scenarios_placed(list(courses.values())))
    return list(courses.values()), errors


def _scenarios_placed(courses: list[CourseFiles]) -> list[ModuleFormatError]:
    """Put each scenario into its module's document, after the takeaways.

    A scenario belongs to the module its StoryData names, in the course it names
    or else the course of its folder. A module that is not being imported is
    read back from the database, so a scenario file can be imported alone.
    """
    errors: list[ModuleFormatError] = []
    ifids = Counter(s.ifid.upper() for files in courses for s in files.scenarios)
    placed: set[tuple[int, str]] = set()  # (document, key) of this import's scenarios: a second is a clash
    for files in courses:
        for scenario in files.scenarios:
            where = {"line": scenario.module_line, "path": scenario.path}
            if ifids[scenario.ifid.upper()] > 1:
                errors.append(ModuleFormatError(f"another scenario has the ifid {scenario.ifid}", **where))
                continue
            course = scenario.course or files.course.slug
            document = _module_document(courses, course, scenario.module)
            if document is None:
                message = f"StoryData names module {scenario.module} of course {course!r}, and there is no such module"
                errors.append(ModuleFormatError(message, **where))
                continue
            if any(a.key == scenario.key and a.kind != SCENARIO for a in document.activities):
                message = f"the scenario's id {scenario.key!r} (from its StoryTitle) is taken by another activity"
                errors.append(ModuleFormatError(message, line=1, path=scenario.path))
                continue
            if (id(document), scenario.key) in placed:
                message = f"two scenarios of module {scenario.module} have the title {scenario.title!r}"
                errors.append(ModuleFormatError(message, line=1, path=scenario.path))
                continue
            _place(document, scenario)
            placed.add((id(document), scenario.key))
    return errors


def _module_document(courses: list[CourseFiles], slug: str, number: int) -> ModuleDocument | None:
    """The document of module ``number`` of course ``slug``: being imported, or else as stored."""
    named = [files for files in courses if files.course.slug == slug]
    for files in named:
        for document in files.documents:
            if document.number == number:
                return document
    module = Module.objects.with_shown_activities().filter(course__slug=slug, number=number).first()
    if module is None:
        return None
    if not named:  # a course not being imported: its stored title and position stay as they are
        course = module.course
        named = [CourseFiles(CourseDocument(slug=slug, title=course.title, position=course.position), from_file=False)]
        courses.append(named[0])
    document = document_from_module(module)
    named[0].documents.append(document)
    return document


def _place(document: ModuleDocument, scenario: ScenarioDocument) -> None:
    activity = ActivityDocument(
        kind=SCENARIO,
        key=scenario.key,
        text=scenario.title,
        items={"ifid": scenario.ifid, "start": scenario.start, "passages": scenario.items()},
    )
    keys = [a.key for a in document.activities]
    if scenario.key in keys:
        document.activities[keys.index(scenario.key)] = activity
        return
    kinds = [a.kind for a in document.activities]
    after = max((i for i, kind in enumerate(kinds) if kind in (TAKEAWAYS, SCENARIO)), default=0)
    document.activities.insert(after + 1, activity)


def _duplicates(course: str, document: ModuleDocument, path: Path, seen: dict[tuple, Path]) -> list[ModuleFormatError]:
    errors = []
    for attribute in ("number", "slug"):
        value = getattr(document, attribute)
        if (course, attribute, value) in seen:
            message = f"module {attribute} {value!r} is also used by {seen[course, attribute, value]}"
            errors.append(ModuleFormatError(message, path=str(path)))
        seen[course, attribute, value] = path
    return errors


def _unknown_kinds(document: ModuleDocument, path: Path) -> list[ModuleFormatError]:
    return [
        ModuleFormatError(f"no installed app shows {activity.kind!r} activities", path=str(path))
        for activity in document.activities
        if not activity_kinds.is_registered(activity.kind)
    ]


def _course_slug_clashes(courses: list[CourseFiles]) -> list[ModuleFormatError]:
    """Two course folders may not claim one course."""
    seen: dict[str, CourseFiles] = {}
    errors = []
    for course in courses:
        if course.course.slug in seen and course.from_file and seen[course.course.slug].from_file:
            errors.append(ModuleFormatError(f"two course folders use the slug {course.course.slug!r}"))
        seen[course.course.slug] = course
    return errors


def modules_sync(
    *, paths: Iterable[str | Path], check: bool = False, on_progress: ProgressCallback | None = None
) -> ImportResult:
    """Validate every file; unless ``check`` or any file is malformed, write them in one transaction."""
    result = ImportResult()
    try:
        files = module_files(paths)
    except ModuleFormatError as error:
        result.errors.append(error)
        return result
    courses, result.errors = modules_parse(files, on_progress=on_progress)
    if result.errors:
        return result
    documents = (document for course_files in courses for document in course_files.documents)
    result.warnings.extend(warning for document in documents if (warning := document.estimate_warning()))
    with transaction.atomic():
        for course_files in courses:
            course = _course_write(course_files)
            result.errors.extend(_slug_conflicts(course, course_files.documents))
            if not result.errors:
                _write(course, course_files.documents, result)
            # Lesson pages are cached by content version; let this process see the change at once.
            transaction.on_commit(lambda: cache.delete(CONTENT_VERSION_KEY))
        if check or result.errors:
            transaction.set_rollback(True)
    return result


def _course_write(course_files: CourseFiles) -> Course:
    document = course_files.course
    course, _ = Course.objects.get_or_create(
        slug=document.slug, defaults={"title": document.title, "position": document.position}
    )
    if course_files.from_file and course.content_hash != document.content_hash():
        for name in ("title", "description", "audience", "position", "revisit_question"):
            setattr(course, name, getattr(document, name))
        course.revisit_days = list(document.revisit_days)
        course.content_hash = document.content_hash()
        course.save()
    return course


def _slug_conflicts(course: Course, documents: list[ModuleDocument]) -> list[ModuleFormatError]:
    numbers = {document.slug: document.number for document in documents}
    clashes = Module.objects.filter(course=course, slug__in=numbers).values_list("slug", "number")
    return [
        ModuleFormatError(f"slug {slug!r} of module {numbers[slug]} is already used by module {number}")
        for slug, number in clashes
        if numbers[slug] != number
    ]


def _write(course: Course, documents: list[ModuleDocument], result: ImportResult) -> None:
    existing = {module.number: module for module in Module.objects.filter(course=course)}
    created, changed = [], []
    for document in documents:
        module = existing.get(document.number)
        if module is not None and module.content_hash == stored_hash(document):
            result.unchanged.append(document.number)
            continue
        module = _module_from_document(document, module or Module(course=course))
        (changed if module.pk else created).append(module)
    if created:
        Module.objects.bulk_create(created)
    if changed:
        Module.objects.bulk_update(changed, [f.name for f in Module._meta.concrete_fields if not f.primary_key])
    touched = {module.number: module for module in created + changed}
    result.warnings.extend(_activities_write([d for d in documents if d.number in touched], touched))
    result.created += [m.number for m in created]
    result.updated += [m.number for m in changed]


def stored_hash(document: ModuleDocument) -> str:
    """The module's content and the rendering rules it was rendered with."""
    return hashlib.sha256(f"{document.content_hash()}:{RENDERING_VERSION}".encode()).hexdigest()


def _module_from_document(document: ModuleDocument, module: Module) -> Module:
    module.number = document.number
    module.slug = document.slug
    module.title = document.title
    module.subtitle = document.subtitle
    module.quote = document.quote
    module.outcome = document.outcome
    module.outcome_html = render_markdown(document.outcome)
    module.minutes_declared = document.minutes
    module.minutes = document.estimated_minutes()
    module.content_hash = stored_hash(document)
    module.updated_at = timezone.now()  # bulk_update() does not apply auto_now
    return module


def _activity(module: Module, position: int, document: ActivityDocument) -> Activity:
    items = document.items
    if document.kind == TAKEAWAYS:
        html = "".join(f"<li>{render_inline(item)}</li>" for item in document.items)
        text_html = f"<ul>{html}</ul>"
    elif document.kind == SCENARIO:
        text_html = escape(document.text)
        passages = [{**passage, "html": render_markdown(passage["text"])} for passage in items["passages"]]
        items = {**items, "passages": passages}
    else:
        text_html = render_markdown(document.text)
    return Activity(
        module=module,
        key=document.key,
        kind=document.kind,
        position=position,
        text=document.text,
        text_html=text_html,
        items=items,
        is_active=True,
    )


def _activities_write(documents: list[ModuleDocument], modules: dict[int, Module]) -> list[str]:
    """Upsert each module's activities by key; hide the ones its file no longer has.

    Returns a warning for each reworded reflection (learners' answers stay with
    its key, which is right for a rewording and wrong for a prompt inserted in
    the middle of prompts keyed by order) and for each scenario the import hides
    (its .twee file was not imported with its module).
    """
    activities = [
        _activity(modules[d.number], position, activity)
        for d in documents
        for position, activity in enumerate(d.activities)
    ]
    module_ids = [module.pk for module in modules.values()]
    shown = Activity.objects.filter(module_id__in=module_ids, kind__in=[REFLECTION, SCENARIO], is_active=True)
    before = {(a.module_id, a.key): (a.kind, a.text) for a in shown}
    Activity.objects.filter(module_id__in=module_ids).update(is_active=False)
    Activity.objects.bulk_create(
        activities,
        update_conflicts=True,
        unique_fields=["module", "key"],
        update_fields=["kind", "position", "text", "text_html", "items", "is_active"],
    )
    kept = {(a.module.pk, a.key) for a in activities}
    numbers = {module.pk: number for number, module in modules.items()}
    reworded = [
        f"module {a.module.number}: reflection {a.key!r} was reworded; learners' answers stay attached to it"
        for a in activities
        if a.kind == REFLECTION and before.get((a.module.pk, a.key), (REFLECTION, a.text))[1] != a.text
    ]
    hidden = [
        f"module {numbers[module_id]}: scenario {key!r} is hidden: its .twee file was not imported with the module"
        for (module_id, key), (kind, _) in before.items()
        if kind == SCENARIO and (module_id, key) not in kept
    ]
    return reworded + hidden


def document_from_module(module: Module) -> ModuleDocument:
    """The document a module was imported from (``module`` from ``Module.objects.with_shown_activities()``)."""
    activities = [
        ActivityDocument(kind=a.kind, key=a.key, text=a.text, items=_source_items(a)) for a in module.activities.all()
    ]
    return ModuleDocument(
        number=module.number,
        slug=module.slug,
        title=module.title,
        subtitle=module.subtitle,
        minutes=module.minutes_declared,
        quote=module.quote,
        activities=activities,
        outcome=module.outcome,
    )


def _source_items(activity: Activity):
    """The activity's items as its file gives them (a scenario's passages without their rendered HTML)."""
    if activity.kind == SCENARIO:
        passages = [{name: v for name, v in p.items() if name != "html"} for p in activity.items["passages"]]
        return {**activity.items, "passages": passages}
    return list(activity.items)


def modules_export(*, directory: str | Path) -> list[Path]:
    """Write every module as canonical Markdown, and its scenarios as Twee; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for module in Module.objects.with_shown_activities().order_by("course", "number"):
        folder = directory / module.course.slug
        folder.mkdir(exist_ok=True)
        if not (folder / COURSE_FILE).exists():
            (folder / COURSE_FILE).write_text(dump_course(module.course), encoding="utf-8")
        document = document_from_module(module)
        scenarios = document.of_kind(SCENARIO)
        document.activities = [a for a in document.activities if a.kind != SCENARIO]
        path = folder / f"{module.number:02d}-{module.slug}.md"
        path.write_text(dump_canonical(document), encoding="utf-8")
        written.append(path)
        for scenario in scenarios:
            path = folder / f"{module.number:02d}-{scenario.key}.twee"
            twee = dump_twee(title=scenario.text, module=module.number, course=module.course.slug, **scenario.items)
            path.write_text(twee, encoding="utf-8")
            written.append(path)
    return written
