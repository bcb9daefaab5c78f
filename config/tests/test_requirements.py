"""The dependency locks: every package pinned with its hashes, and every range locked."""

import re
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parent.parent.parent / "requirements"
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: Path) -> dict[str, str]:
    """``{package: the text of its entry}`` in a lock written by `make lock`."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
    return {normalised(NAME.match(entry)[1]): entry for entry in entries if NAME.match(entry)}


def ranged(source: Path) -> set[str]:
    names = set()
    for line in source.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(normalised(NAME.match(line)[1]))
    return names


@pytest.mark.parametrize("name", ["base", "dev"])
def test_every_locked_package_is_pinned_with_its_hashes(name):
    """pip install --require-hashes accepts the lock: one version and at least one hash each."""
    entries = locked(REQUIREMENTS / f"{name}.txt")
    assert entries
    for package, entry in entries.items():
        assert re.search(r"==[^\s;\\]+", entry), package
        assert "--hash=sha256:" in entry, package


@pytest.mark.parametrize("name", ["base", "dev"])
def test_every_range_is_in_its_lock(name):
    """A package added to a .in file without `make lock` fails here."""
    wanted = ranged(REQUIREMENTS / f"{name}.in") | (ranged(REQUIREMENTS / "base.in") if name == "dev" else set())
    assert wanted <= set(locked(REQUIREMENTS / f"{name}.txt")), wanted - set(locked(REQUIREMENTS / f"{name}.txt"))
