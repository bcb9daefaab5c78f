"""The SCORM 2004 4th edition package's manifest, checked against the edition's schemas."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from interchange.tests.manifests import manifest_schema, root_files, schema_locations

NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscp_v1p1",
    "http://www.adlnet.org/xsd/adlcp_v1p3",
    "http://www.adlnet.org/xsd/adlseq_v1p3",
    "http://www.adlnet.org/xsd/adlnav_v1p3",
    "http://www.imsglobal.org/xsd/imsss",
}
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
ADLSEQ = "{http://www.adlnet.org/xsd/adlseq_v1p3}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"


def scorm2004_schema(package: zipfile.ZipFile, folder: Path) -> etree.XMLSchema:
    """The SCORM 2004 4th edition schemas the package carries, together, as an LMS validating it loads them:
    IMS CP 1.1.4 for the manifest (with xml.xsd and its DTDs), ADL CP, sequencing and navigation 1.3, and IMS
    Simple Sequencing 1.0. Unlike SCORM 1.2's, libxml2 reads these files as they are."""
    package.extractall(folder)
    return manifest_schema(folder)


@pytest.fixture
def package(modules, tmp_path) -> zipfile.ZipFile:
    out = tmp_path / "course.zip"
    call_command("export_scorm", str(out), course="sales-blueprint", standard="2004", stdout=io.StringIO())
    return zipfile.ZipFile(out)


@pytest.fixture
def manifest(package) -> etree._Element:
    return etree.fromstring(package.read("imsmanifest.xml"))


def test_manifest_validates_against_the_scorm_2004_4th_edition_schemas_it_carries(manifest, package, tmp_path):
    """Valid against the schemas at the package's root that its xsi:schemaLocation names, read unedited."""
    assert set(schema_locations(manifest)) == NAMESPACES
    schema = scorm2004_schema(package, tmp_path / "unzipped")
    assert schema.validate(manifest), schema.error_log


@pytest.mark.parametrize(
    "old, new",
    [
        (b'adlcp:scormType="sco"', b'adlcp:scormType="lesson"'),  # not a SCORM resource type
        (b'flow="true"', b'flow="sometimes"'),  # sequencing is validated too, not skipped as foreign
        (b"<imsss:controlMode ", b"<imsss:controlModes "),  # no such sequencing element
    ],
)
def test_the_schemas_refuse_a_broken_manifest(package, tmp_path, old, new):
    """The validation is real: it catches a wrong SCO type, a wrong sequencing value and an unknown element."""
    text = package.read("imsmanifest.xml")
    assert old in text
    assert not scorm2004_schema(package, tmp_path / "unzipped").validate(etree.fromstring(text.replace(old, new)))


def test_the_package_carries_the_scorm_2004_schema_files(package):
    """The 17 files of the edition's controlling documents the manifest's schemas reach, beside it."""
    assert len(root_files(package) - {"imsmanifest.xml"}) == 17
    assert {"imscp_v1p1.xsd", "imsss_v1p0util.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd"} <= root_files(package)


def test_the_manifest_says_scorm_2004_4th_edition(manifest):
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "2004 4th Edition"
    assert {name for name in manifest.nsmap.values()} >= set(NAMESPACES)


def test_one_sco_per_module(manifest, package, modules):
    organization = manifest.find(f"{CP}organizations/{CP}organization")
    assert manifest.find(f"{CP}organizations").get("default") == organization.get("identifier")
    items = organization.findall(f"{CP}item")
    assert [item.findtext(f"{CP}title") for item in items] == [f"{m.number}. {m.title}" for m in modules]
    resources = {resource.get("identifier"): resource for resource in manifest.iter(f"{CP}resource")}
    for item in items:
        sco = resources[item.get("identifierref")]
        assert sco.get(f"{ADLCP}scormType") == "sco"
        assert sco.get("href") in package.namelist()
    assert resources["shared-files"].get(f"{ADLCP}scormType") == "asset"


def test_learners_take_the_modules_in_any_order(manifest):
    """The course lets the learner choose any module and also go on to the next (choice and flow), with
    no forward-only order, no rule that skips, disables or hides a module, and no limit on attempts."""
    organization = manifest.find(f"{CP}organizations/{CP}organization")
    control = organization.find(f"{IMSSS}sequencing/{IMSSS}controlMode")
    assert control.get("choice") == "true" and control.get("flow") == "true"
    assert control.get("choiceExit") == "true" and control.get("forwardOnly") == "false"
    for forcing in ("sequencingRules", "limitConditions", "preConditionRule", "constrainedChoiceConsiderations"):
        assert not list(organization.iter(f"{IMSSS}{forcing}", f"{ADLSEQ}{forcing}")), forcing
    assert organization.get(f"{ADLSEQ}objectivesGlobalToSystem") == "false"


def test_each_module_reports_its_own_completion_and_no_invented_pass(manifest):
    """The SCO sets completion ("Mark as complete"); the LMS neither marks a module completed on exit nor
    records a pass for a module that has no test."""
    items = manifest.findall(f"{CP}organizations/{CP}organization/{CP}item")
    for item in items:
        delivery = item.find(f"{IMSSS}sequencing/{IMSSS}deliveryControls")
        assert delivery.get("completionSetByContent") == "true"
        assert delivery.get("objectiveSetByContent") == "true"
