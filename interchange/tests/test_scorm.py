import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from courses.models import Course
from interchange.scorm import STANDARDS
from interchange.tests.manifests import manifest_schema, root_files, schema_locations, schema_references, sha256, sums

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
# What ADL's conformance test suite asks a SCORM 1.2 package to carry beside its manifest.
SCORM12_SCHEMAS = {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"}

# Two of the 2001 files break rules libxml2 enforces. The package carries them as the standard has them;
# lxml reads them with these edits, made in memory (interchange/schemas/scorm12/NOTICE.md):
# - ims_xml.xsd binds the reserved xml namespace as its default namespace, which Namespaces in XML
#   forbids; nothing in the file uses the default namespace, so dropping the binding changes nothing.
# - imsmd_rootv1p2p1.xsd lets "any element from any namespace" follow optional IMS MD elements,
#   which breaks the Unique Particle Attribution rule; "any other namespace" (IMS MD 1.3's choice)
#   keeps the rule. It only concerns metadata extensions, which the package does not use.
SCHEMA_EDITS = {
    "ims_xml.xsd": ('xmlns="http://www.w3.org/XML/1998/namespace"', ""),
    "imsmd_rootv1p2p1.xsd": ('<xsd:any namespace="##any"', '<xsd:any namespace="##other"'),
}


def scorm12_schema(package: zipfile.ZipFile, folder: Path) -> etree.XMLSchema:
    """The SCORM 1.2 schemas the package carries, together, as an LMS validating it loads them (the manifest's
    elements from IMS CP, its adlcp: attributes from ADL, metadata from IMS MD; ims_xml.xsd for xml:lang)."""
    package.extractall(folder)
    return manifest_schema(folder, SCHEMA_EDITS)


def export(tmp_path: Path, name: str = "course.zip", **options) -> zipfile.ZipFile:
    out = tmp_path / name
    call_command("export_scorm", str(out), stdout=io.StringIO(), **{"course": "sales-blueprint", **options})
    return zipfile.ZipFile(out)


@pytest.fixture
def package(modules, tmp_path) -> zipfile.ZipFile:
    return export(tmp_path, standard="1.2")


@pytest.fixture(params=["1.2", "2004"])
def any_package(request, modules, tmp_path) -> zipfile.ZipFile:
    """The package in each standard: what holds for both."""
    return export(tmp_path, standard=request.param)


def test_manifest_validates_against_the_scorm_12_schemas_it_carries(package, tmp_path):
    """The package's imsmanifest.xml is valid against the IMS CP 1.1.2, ADL CP 1.2 and IMS MD 1.2.1 schemas
    at its root, the ones its xsi:schemaLocation names."""
    schema = scorm12_schema(package, tmp_path / "unzipped")
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    assert schema.validate(manifest), schema.error_log


def test_the_schemas_refuse_a_broken_manifest(package, tmp_path):
    """The validation is real: a manifest whose SCO has an unknown scormtype fails it."""
    broken = package.read("imsmanifest.xml").replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"')
    assert not scorm12_schema(package, tmp_path / "unzipped").validate(etree.fromstring(broken))


def test_the_package_carries_the_scorm_12_schema_files_as_the_standard_has_them(package, tmp_path):
    """The four files ADL's conformance suite asks for are at the root, unedited: lxml cannot read two of
    them as they are, which is why the validation above edits them in memory (and only there)."""
    assert root_files(package) == {"imsmanifest.xml"} | SCORM12_SCHEMAS
    assert package.read("ims_xml.xsd").count(b'xmlns="http://www.w3.org/XML/1998/namespace"') == 1
    package.extractall(tmp_path / "unzipped")
    with pytest.raises(etree.XMLSchemaParseError):
        manifest_schema(tmp_path / "unzipped")


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_schema_files_are_the_originals_byte_for_byte(modules, tmp_path, standard):
    """Every schema file at the package's root is the one the standard distributes: its SHA-256 is the
    original's (interchange/schemas/*/SHA256SUMS), so no edit and no line-end conversion ships."""
    package = export(tmp_path, standard=standard)
    originals = sums(STANDARDS[standard].schemas)
    assert root_files(package) - {"imsmanifest.xml"} == set(originals)
    assert {name: sha256(package.read(name)) for name in originals} == originals


def test_every_schema_the_manifest_names_is_at_the_package_root(any_package):
    """Each file xsi:schemaLocation names is in the zip beside the manifest, and so is every file those
    schemas import, include or read as DTDs; the root holds nothing else."""
    named = set(schema_locations(etree.fromstring(any_package.read("imsmanifest.xml"))).values())
    assert named <= root_files(any_package)
    assert schema_references(any_package, named) == root_files(any_package) - {"imsmanifest.xml"}


def test_one_sco_per_module_in_any_order(package, modules):
    """Each module is a SCO of its own, every item at the top of the organisation and none with prerequisites."""
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    organization = manifest.find(f"{CP}organizations/{CP}organization")
    items = organization.findall(f"{CP}item")
    assert [item.findtext(f"{CP}title") for item in items] == [f"{m.number}. {m.title}" for m in modules]
    assert not organization.findall(f".//{ADLCP}prerequisites")
    resources = {resource.get("identifier"): resource for resource in manifest.iter(f"{CP}resource")}
    for item in items:
        sco = resources[item.get("identifierref")]
        assert sco.get(f"{ADLCP}scormtype") == "sco"
        assert sco.get("href") in package.namelist()


def test_every_file_the_manifest_names_is_in_the_package(any_package):
    manifest = etree.fromstring(any_package.read("imsmanifest.xml"))
    listed = {file.get("href") for file in manifest.iter("{*}file")}
    assert listed == set(any_package.namelist()) - root_files(any_package)


def test_a_sco_holds_the_whole_lesson(any_package, module_one):
    """The lesson, takeaways, reflection prompt, planner fields, scenario passages and outcome are in the page."""
    page = any_package.read("modules/01-what-negotiation-actually-is/index.html").decode()
    for activity in module_one.activities.shown():
        if activity.kind == "scenario":
            for passage in activity.items["passages"]:
                assert passage["html"] in page
        elif activity.kind == "planner":
            assert all(f'data-store="{activity.key}.{field["id"]}"' in page for field in activity.items)
        else:
            assert activity.text_html in page
    assert 'data-store="reflection"' in page
    assert module_one.outcome_html in page
    assert "Mark as complete" in page


def test_a_sco_asks_nothing_of_our_server_and_has_no_inline_script(any_package):
    """Every address in a SCO is relative to the package (links inside the lesson text aside), and
    scripts are files: it runs under a strict Content-Security-Policy and with this server gone."""
    page = any_package.read("modules/01-what-negotiation-actually-is/index.html").decode()
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert {source for source in sources if not source.startswith("#")} == {
        "../../shared/sco.css",
        "../../shared/sco.js",
        "../../shared/scenario.js",
    }
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"<[^>]+\son[a-z]+=", page)
    assert "style=" not in page


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_same_content_gives_the_same_package(modules, tmp_path, standard):
    first = (tmp_path / "a.zip", tmp_path / "b.zip")
    for out in first:
        call_command("export_scorm", str(out), course="sales-blueprint", standard=standard, stdout=io.StringIO())
    assert first[0].read_bytes() == first[1].read_bytes()


def test_the_two_standards_differ_only_in_the_manifest_and_the_runtime_the_sco_looks_for_first(modules, tmp_path):
    """One script, one page per module: a SCORM 2004 SCO is the SCORM 1.2 one but for its ``data-standard``
    (the manifest and its schema files, at the root, are the edition's own)."""
    twelve = export(tmp_path, "scorm12.zip", standard="1.2")
    twenty = export(tmp_path, "scorm2004.zip", standard="2004")
    in_folders = set(twelve.namelist()) - root_files(twelve)
    assert in_folders == set(twenty.namelist()) - root_files(twenty)
    assert b'data-standard="2004"' in twenty.read("modules/01-what-negotiation-actually-is/index.html")
    for name in in_folders:
        expected = twelve.read(name).replace(b'data-standard="1.2"', b'data-standard="2004"')
        assert twenty.read(name) == expected, name


def test_an_unknown_course_is_refused(modules, tmp_path):
    with pytest.raises(CommandError, match="unknown course 'nope' \\(courses: sales-blueprint\\)"):
        call_command("export_scorm", str(tmp_path / "x.zip"), course="nope")
    assert not list(tmp_path.iterdir())


def test_an_unknown_standard_is_refused(modules, tmp_path):
    with pytest.raises(CommandError, match="unknown standard '1.3': expected one of 1.2, 2004"):
        call_command("export_scorm", str(tmp_path / "x.zip"), course="sales-blueprint", standard="1.3")


@pytest.mark.parametrize("where", ["missing/course.zip", "."])
def test_an_unwritable_place_is_refused(modules, tmp_path, where):
    """A missing folder or a folder in the file's place is refused with the reason, and no file is left behind."""
    with pytest.raises(CommandError, match="cannot write .*: (No such file or directory|Is a directory)"):
        call_command("export_scorm", str(tmp_path / where), course="sales-blueprint")
    assert not list(tmp_path.iterdir())


def test_a_course_without_modules_is_refused(modules, tmp_path):
    Course.objects.create(slug="empty", title="Empty")
    with pytest.raises(CommandError, match="course 'empty' has no modules to export"):
        call_command("export_scorm", str(tmp_path / "empty.zip"), course="empty")
