"""A course as a SCORM package: one self-contained SCO per module, for a company's own learning system.

Each SCO is a static page that needs nothing from this server: the lesson as rendered at import
(already sanitised), a small stylesheet and the script that speaks the SCORM runtime (``assets/``).
What the learner writes is kept in the learning system's suspend data, never here.

SCORM 1.2 and SCORM 2004 4th edition packages differ only in their manifest, the schema files
beside it (the edition's own, as ADL and IMS distribute them: ``schemas/``) and in the page's
``data-standard``: the same script speaks either runtime and knows each one's suspend-data limit.
"""

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from courses.models import Activity, Course, Module

ASSETS = Path(__file__).resolve().parent / "assets"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SHARED_FILES = ("sco.css", "sco.js", "scenario.js")
# A zip entry's date; a fixed one makes the same content give the same package.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class ScormExportError(Exception):
    """The package cannot be written; the message says why, for the person running the export."""


@dataclass(frozen=True)
class Standard:
    """A SCORM edition: its manifest, the folder of schema files the manifest refers to (shipped beside
    it, unchanged), and the runtime its SCOs look for first (``data-standard``)."""

    name: str
    manifest_template: str
    schemas: Path

    def schema_files(self) -> dict[str, bytes]:
        """The edition's schema files (XSD and the DTDs they name) by name, in name order."""
        paths = sorted([*self.schemas.glob("*.xsd"), *self.schemas.glob("*.dtd")], key=lambda path: path.name)
        return {path.name: path.read_bytes() for path in paths}


STANDARDS = {
    "1.2": Standard(name="1.2", manifest_template="interchange/scorm12/imsmanifest.xml", schemas=SCHEMAS / "scorm12"),
    "2004": Standard(
        name="2004", manifest_template="interchange/scorm2004/imsmanifest.xml", schemas=SCHEMAS / "scorm2004"
    ),
}


@dataclass(frozen=True)
class Sco:
    """One module as the package holds it."""

    module: Module
    identifier: str
    folder: str

    @property
    def href(self) -> str:
        return f"{self.folder}/index.html"


@dataclass(frozen=True)
class Scene:
    """A scenario passage with its choices resolved to the scenes they lead to."""

    anchor: str
    name: str
    html: str
    is_ending: bool
    choices: list[dict[str, str]]


def scorm_package_write(*, course_slug: str, standard: str, out: Path) -> list[Module]:
    """Write the course's SCORM package to ``out`` (a zip) and return the modules it holds.

    The zip is written beside ``out`` and moved into place, so a failed export leaves no
    half-written package. Raises ``ScormExportError`` for an unknown course or standard and for
    a place that cannot be written.
    """
    if standard not in STANDARDS:
        raise ScormExportError(f"unknown standard {standard!r}: expected one of {', '.join(STANDARDS)}")
    course = Course.objects.filter(slug=course_slug).first()
    if course is None:
        known = ", ".join(Course.objects.values_list("slug", flat=True)) or "none imported"
        raise ScormExportError(f"unknown course {course_slug!r} (courses: {known})")
    modules = list(Module.objects.with_shown_activities().filter(course=course).order_by("number"))
    if not modules:
        raise ScormExportError(f"course {course_slug!r} has no modules to export")
    files = scorm_package_files(course=course, modules=modules, standard=STANDARDS[standard])
    _write_zip(out, files)
    return modules


def scorm_package_files(*, course: Course, modules: list[Module], standard: Standard) -> dict[str, bytes]:
    """Every file of the package by its path inside it: the manifest first, its schema files beside it
    (at the root, where the manifest's ``xsi:schemaLocation`` points), then the SCOs and what they share."""
    scos = [Sco(module=module, identifier=f"module-{module.number}", folder=_folder(module)) for module in modules]
    files = {"imsmanifest.xml": _manifest(course, scos, standard), **standard.schema_files()}
    for sco in scos:
        files[sco.href] = _sco_page(course, sco, standard).encode()
    for name in SHARED_FILES:
        files[f"shared/{name}"] = (ASSETS / name).read_bytes()
    return files


def _folder(module: Module) -> str:
    return f"modules/{module.number:02d}-{module.slug}"


def _manifest(course: Course, scos: list[Sco], standard: Standard) -> bytes:
    context = {"course": course, "scos": scos, "shared": [f"shared/{name}" for name in SHARED_FILES]}
    return render_to_string(standard.manifest_template, context).encode()


def _sco_page(course: Course, sco: Sco, standard: Standard) -> str:
    activities = [{"template": _template(activity), "activity": activity} for activity in sco.module.activities.all()]
    reflections = [item["activity"] for item in activities if item["activity"].kind == "reflection"]
    for item in activities:
        activity = item["activity"]
        if activity.kind == "reflection":
            item["number"], item["of"] = reflections.index(activity) + 1, len(reflections)
        if activity.kind == "scenario":
            item["scenes"] = _scenes(activity)
    context = {
        "course": course,
        "module": sco.module,
        "activities": activities,
        "standard": standard.name,
        "shared": "../../shared",
        "language": translation.get_language(),
    }
    return render_to_string("interchange/sco.html", context)


def _template(activity: Activity) -> str:
    known = {"lesson", "takeaways", "reflection", "planner", "scenario"}
    return f"interchange/sco/{activity.kind if activity.kind in known else 'other'}.html"


def _scenes(activity: Activity) -> list[Scene]:
    """The scenario's passages, the start first, each choice pointing at its scene's anchor."""
    passages = activity.items.get("passages", [])
    start = activity.items.get("start")
    passages = sorted(passages, key=lambda passage: passage["name"] != start)
    anchors = {passage["name"]: f"{activity.key}-scene-{index}" for index, passage in enumerate(passages)}
    return [
        Scene(
            anchor=anchors[passage["name"]],
            name=passage["name"],
            html=passage.get("html", ""),
            is_ending="ending" in passage.get("tags", []),
            choices=[{"text": link["text"], "anchor": anchors[link["target"]]} for link in passage.get("links", [])],
        )
        for passage in passages
    ]


def _write_zip(out: Path, files: dict[str, bytes]) -> None:
    folder = out.parent if str(out.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ScormExportError(f"cannot write {out}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
            for path, content in files.items():
                entry = zipfile.ZipInfo(path, date_time=ZIP_DATE)
                entry.external_attr = 0o644 << 16  # rw-r--r-- once unzipped
                package.writestr(entry, content, zipfile.ZIP_DEFLATED)
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ScormExportError(f"cannot write {out}: {error.strerror or error}") from error
