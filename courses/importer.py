"""Sync module files into the database: validate everything, then write it all or nothing.

Modules are identified by their number. Re-importing an unchanged module writes
nothing; a changed one is updated in place, and its reflection prompt is matched
by its stable id so learners' reflections stay attached. Modules missing from the
files are left alone (learners' writing hangs on them).
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .formats import ModuleDocument, ModuleFormatError, dump_canonical, parse_text
from .models import Module, Prompt
from .rendering import RENDERING_VERSION, render_inline, render_markdown
from .selectors import CONTENT_VERSION_KEY

SUFFIXES = (".md", ".txt")
ProgressCallback = Callable[[int, int], None]


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[ModuleFormatError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def module_files(paths: Iterable[str | Path]) -> list[Path]:
    """The module files named, folders searched recursively for .md and .txt files."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise ModuleFormatError("expected a module file or a folder, but nothing is there", path=str(path))
    return files


def read_module_file(path: Path) -> ModuleDocument:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ModuleFormatError("expected UTF-8 text; found an invalid byte", line=line, path=str(path)) from None
    try:
        return parse_text(text)
    except ModuleFormatError as error:
        error.path = str(path)
        raise


def modules_parse(
    files: list[Path], *, on_progress: ProgressCallback | None = None
) -> tuple[list[ModuleDocument], list[ModuleFormatError]]:
    documents: list[ModuleDocument] = []
    errors: list[ModuleFormatError] = []
    seen: dict[str, dict] = {"number": {}, "slug": {}}
    for index, path in enumerate(files, 1):
        try:
            document = read_module_file(path)
        except ModuleFormatError as error:
            errors.append(error)
        else:
            errors.extend(_duplicates(document, path, seen))
            documents.append(document)
        if on_progress:
            on_progress(index, len(files))
    return documents, errors


def _duplicates(document: ModuleDocument, path: Path, seen: dict[str, dict]) -> list[ModuleFormatError]:
    errors = []
    for attribute in ("number", "slug"):
        value = getattr(document, attribute)
        if value in seen[attribute]:
            message = f"module {attribute} {value!r} is also used by {seen[attribute][value]}"
            errors.append(ModuleFormatError(message, path=str(path)))
        seen[attribute][value] = path
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
    documents, result.errors = modules_parse(files, on_progress=on_progress)
    if result.errors:
        return result
    with transaction.atomic():
        result.errors.extend(_slug_conflicts(documents))
        if not result.errors:
            _write(documents, result)
            # Lesson pages are cached by content version; let this process see the change at once.
            transaction.on_commit(lambda: cache.delete(CONTENT_VERSION_KEY))
        if check or result.errors:
            transaction.set_rollback(True)
    return result


def _slug_conflicts(documents: list[ModuleDocument]) -> list[ModuleFormatError]:
    numbers = {document.slug: document.number for document in documents}
    clashes = Module.objects.filter(slug__in=numbers).values_list("slug", "number")
    return [
        ModuleFormatError(f"slug {slug!r} of module {numbers[slug]} is already used by module {number}")
        for slug, number in clashes
        if numbers[slug] != number
    ]


def _write(documents: list[ModuleDocument], result: ImportResult) -> None:
    existing = {module.number: module for module in Module.objects.all()}
    created, changed = [], []
    for document in documents:
        module = existing.get(document.number)
        if module is not None and module.content_hash == stored_hash(document):
            result.unchanged.append(document.number)
            continue
        module = _module_from_document(document, module or Module())
        (changed if module.pk else created).append(module)
    if created:
        Module.objects.bulk_create(created)
    if changed:
        Module.objects.bulk_update(changed, [f.name for f in Module._meta.concrete_fields if not f.primary_key])
    touched = {module.number: module for module in created + changed}
    _write_prompts([d for d in documents if d.number in touched], touched)
    result.created = [m.number for m in created]
    result.updated = [m.number for m in changed]


def stored_hash(document: ModuleDocument) -> str:
    """The module's content and the rendering rules it was rendered with."""
    return hashlib.sha256(f"{document.content_hash()}:{RENDERING_VERSION}".encode()).hexdigest()


def _module_from_document(document: ModuleDocument, module: Module) -> Module:
    module.number = document.number
    module.slug = document.slug
    module.title = document.title
    module.subtitle = document.subtitle
    module.quote = document.quote
    module.body = document.body
    module.body_html = render_markdown(document.body)
    module.takeaways = document.takeaways
    module.takeaways_html = [render_inline(item) for item in document.takeaways]
    module.outcome = document.outcome
    module.outcome_html = render_markdown(document.outcome)
    module.minutes_declared = document.minutes
    module.minutes = document.estimated_minutes()
    module.content_hash = stored_hash(document)
    module.updated_at = timezone.now()  # bulk_update() does not apply auto_now
    return module


def _write_prompts(documents: list[ModuleDocument], modules: dict[int, Module]) -> None:
    prompts = [
        Prompt(
            module=modules[d.number],
            key=d.reflection_key,
            text=d.reflection_prompt,
            text_html=render_markdown(d.reflection_prompt),
            is_active=True,
        )
        for d in documents
    ]
    module_ids = [prompt.module.pk for prompt in prompts]
    Prompt.objects.filter(module_id__in=module_ids).update(is_active=False)
    Prompt.objects.bulk_create(
        prompts,
        update_conflicts=True,
        unique_fields=["module", "key"],
        update_fields=["text", "text_html", "is_active"],
    )


def document_from_module(module: Module) -> ModuleDocument:
    prompt = next((p for p in module.prompts.all() if p.is_active), None)
    return ModuleDocument(
        number=module.number,
        slug=module.slug,
        title=module.title,
        subtitle=module.subtitle,
        minutes=module.minutes_declared,
        quote=module.quote,
        body=module.body,
        takeaways=list(module.takeaways),
        reflection_key=prompt.key if prompt else "reflection",
        reflection_prompt=prompt.text if prompt else "",
        outcome=module.outcome,
    )


def modules_export(*, directory: str | Path) -> list[Path]:
    """Write every module as canonical Markdown; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for module in Module.objects.for_lesson().order_by("number"):
        path = directory / f"{module.number:02d}-{module.slug}.md"
        path.write_text(dump_canonical(document_from_module(module)), encoding="utf-8")
        written.append(path)
    return written
