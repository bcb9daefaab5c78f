"""The SCORM 2004 4th edition package's manifest, checked against the edition's schemas."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "scorm2004"
NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
ADLSEQ = "{http://www.adlnet.org/xsd/adlseq_v1p3}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"


def scorm2004_schema() -> etree.XMLSchema:
    """The SCORM 2004 4th edition schemas together, as an LMS validating a package loads them: IMS CP 1.1.4
    for the manifest (with xml.xsd), ADL CP, sequencing and navigation 1.3, and IMS Simple Sequencing 1.0.
    Unlike SCORM 1.2's, libxml2 reads these files as they are."""
    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
        for namespace, name in NAMESPACES.items()
    )
    driver = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(driver.encode(), etree.XMLParser(no_network=True)))


@pytest.fixture
def package(modules, tmp_path) -> zipfile.ZipFile:
    out = tmp_path / "course.zip"
    call_command("export_scorm", str(out), course="sales-blueprint", standard="2004", stdout=io.StringIO())
    return zipfile.ZipFile(out)


@pytest.fixture
def manifest(package) -> etree._Element:
    return etree.fromstring(package.read("imsmanifest.xml"))


def test_manifest_validates_against_the_scorm_2004_4th_edition_schemas(manifest):
    schema = scorm2004_schema()
    assert schema.validate(manifest), schema.error_log


@pytest.mark.parametrize(
    "old, new",
    [
        (b'adlcp:scormType="sco"', b'adlcp:scormType="lesson"'),  # not a SCORM resource type
        (b'flow="true"', b'flow="sometimes"'),  # sequencing is validated too, not skipped as foreign
        (b"<imsss:controlMode ", b"<imsss:controlModes "),  # no such sequencing element
    ],
)
def test_the_schemas_refuse_a_broken_manifest(package, old, new):
    """The validation is real: it catches a wrong SCO type, a wrong sequencing value and an unknown element."""
    text = package.read("imsmanifest.xml")
    assert old in text
    assert not scorm2004_schema().validate(etree.fromstring(text.replace(old, new)))


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
