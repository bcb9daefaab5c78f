"""The owner's console: module and scenario files uploaded in the browser, checked and previewed
exactly as the importer would write them, then published.

An upload is staged in its own folder (``settings.CONTENT_UPLOADS_DIR/TOKEN``). The preview runs the
real import inside a transaction that is rolled back, and draws each module's page from the
database as it stood inside it, never through the lesson cache; so learners see nothing until the
owner publishes, which imports the same files for good.
"""

import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .importer import SCENARIO_SUFFIXES, SUFFIXES, ImportResult, modules_sync
from .models import Module

MAX_FILES = 50
MAX_FILE_BYTES = 1024 * 1024
ALLOWED = (*SUFFIXES, *SCENARIO_SUFFIXES, ".yaml")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$")


class UploadRefused(ValueError):
    pass


@dataclass
class Preview:
    token: str
    result: ImportResult
    pages: list[tuple[int, str, str]] = field(default_factory=list)  # (module number, title, file name)


def _folder(token: str) -> Path:
    if not _TOKEN.match(token):
        raise UploadRefused("unknown upload")
    folder = Path(settings.CONTENT_UPLOADS_DIR) / token
    if not folder.is_dir():
        raise UploadRefused("This upload is no longer here: upload the files again.")
    return folder


def upload_stage(files) -> str:
    """Keep the uploaded files (Django UploadedFile objects) in a new staging folder; returns its token."""
    if not files:
        raise UploadRefused("Choose one or more module (.md, .txt), scenario (.twee) or course.yaml files.")
    if len(files) > MAX_FILES:
        raise UploadRefused(f"At most {MAX_FILES} files at a time.")
    for upload in files:
        name = Path(upload.name).name
        if not _NAME.match(name) or not name.endswith(ALLOWED) or (name.endswith(".yaml") and name != "course.yaml"):
            raise UploadRefused(
                f"{name[:60]!r}: expected a module (.md, .txt), scenario (.twee, .tw) or course.yaml file."
            )
        if upload.size > MAX_FILE_BYTES:
            raise UploadRefused(f"{name}: larger than {MAX_FILE_BYTES // 1024} KB.")
    names = [Path(upload.name).name for upload in files]
    if len(set(names)) != len(names):
        raise UploadRefused("Two files have the same name.")
    token = secrets.token_urlsafe(24)
    folder = Path(settings.CONTENT_UPLOADS_DIR) / token
    folder.mkdir(parents=True)
    for upload, name in zip(files, names, strict=True):
        with (folder / name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return token


def upload_preview(token: str, render_page) -> Preview:
    """Import the staged files in a transaction that is rolled back; ``render_page(module)`` draws
    each created or changed module as learners would see it, and the pages are kept beside the files."""
    folder = _folder(token)
    preview = Preview(token=token, result=ImportResult())
    with transaction.atomic():
        preview.result = modules_sync(paths=[folder])
        if preview.result.ok:
            numbers = preview.result.created + preview.result.updated
            for module in Module.objects.select_related("course").filter(number__in=numbers).order_by("number"):
                page = f"preview-{module.course.slug}-{module.number}.html"
                (folder / page).write_text(render_page(module), encoding="utf-8")
                preview.pages.append((module.number, module.title, page))
        transaction.set_rollback(True)
    return preview


def preview_page(token: str, name: str) -> str:
    folder = _folder(token)
    if not re.fullmatch(r"preview-[a-z0-9-]+-\d+\.html", name) or not (folder / name).is_file():
        raise UploadRefused("no such preview")
    return (folder / name).read_text(encoding="utf-8")


def upload_publish(token: str) -> ImportResult:
    """Import the staged files for good, all or nothing; the staging folder goes once they are in."""
    folder = _folder(token)
    result = modules_sync(paths=[folder])  # the preview pages (.html) are not module files
    if result.ok:
        shutil.rmtree(folder, ignore_errors=True)
    return result
