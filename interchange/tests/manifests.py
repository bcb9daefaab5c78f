"""A SCORM package's manifest checked as a learning system checks it: against the schema files the package
itself carries, found at the root where the manifest's ``xsi:schemaLocation`` says they are."""

import hashlib
import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from lxml import etree

SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
XSD = "{http://www.w3.org/2001/XMLSchema}"
# A DTD's external parameter entity (XMLSchema.dtd pulls in datatypes.dtd this way); notations are not files.
DTD_ENTITY = re.compile(r"""<!ENTITY\s+%\s+[\w.-]+\s+(?:SYSTEM|PUBLIC\s+(['"])[^'"]*\1)\s+(['"])([^'"]+)\2""")


def schema_locations(manifest: etree._Element) -> dict[str, str]:
    """The manifest's ``xsi:schemaLocation``, namespace by namespace: the file that defines it."""
    words = manifest.get(SCHEMA_LOCATION).split()
    return dict(zip(words[::2], words[1::2], strict=True))


def root_files(package: zipfile.ZipFile) -> set[str]:
    return {name for name in package.namelist() if "/" not in name}


def schema_references(package: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The schema files ``names`` are, with every file they name in turn (imports, includes, the DTD an
    XSD declares and the DTDs that one reads): what a validator loads. A name missing from the package
    is kept (for the caller to find missing) and names nothing."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            if name in package.namelist():
                folder = posixpath.dirname(name)
                todo += [posixpath.normpath(posixpath.join(folder, ref)) for ref in _named_in(name, package.read(name))]
    return found


def _named_in(name: str, content: bytes) -> list[str]:
    if name.endswith(".dtd"):
        named = [match[2] for match in DTD_ENTITY.findall(content.decode())]
    else:
        # recover: SCORM 1.2's ims_xml.xsd binds the xml namespace as the default one, which libxml2 refuses.
        parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False, recover=True)
        tree = etree.fromstring(content, parser).getroottree()
        named = [element.get("schemaLocation") for element in tree.iter(f"{XSD}import", f"{XSD}include")]
        named.append(tree.docinfo.system_url)
    return [ref for ref in named if ref and "://" not in ref]


def sums(folder: Path) -> dict[str, str]:
    """``SHA256SUMS`` in ``folder``: each original file's SHA-256 by name."""
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines)}


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class EditedSchemas(etree.Resolver):
    """Serves the named schema files with an edit each (``{name: (old, new)}``), read from where they are."""

    def __init__(self, edits: dict[str, tuple[str, str]]):
        super().__init__()
        self.edits = edits

    def resolve(self, url, public_id, context):
        name = url.rsplit("/", 1)[-1]
        if name not in self.edits:
            return None
        old, new = self.edits[name]
        text = Path(url2pathname(urlparse(url).path)).read_text()
        assert old in text, f"{name} no longer holds {old!r}"
        return self.resolve_string(text.replace(old, new), context, base_url=url)


def manifest_schema(folder: Path, edits: dict[str, tuple[str, str]] | None = None) -> etree.XMLSchema:
    """The schemas the unzipped package in ``folder`` names in its manifest's ``xsi:schemaLocation``, taken
    from the package, together (``edits`` applied in memory as they are read); never from the network."""
    manifest = etree.parse(folder / "imsmanifest.xml").getroot()
    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(folder / location).as_uri()}"/>'
        for namespace, location in schema_locations(manifest).items()
    )
    driver = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(no_network=True)
    if edits:
        parser.resolvers.add(EditedSchemas(edits))
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser))
