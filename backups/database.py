"""Online backups of the database, and restoring one: SQLite and PostgreSQL.

A backup is a consistent snapshot taken while the site keeps serving: every save
committed before it started is in it, and saves made while it runs may or may not be.

- **SQLite**: ``VACUUM INTO`` a new file from one read transaction (WAL lets writers go
  on meanwhile), checked with ``PRAGMA integrity_check``; restoring copies it back into
  the live database with SQLite's backup API, under the database's write lock.
- **PostgreSQL**: ``pg_dump --format=custom`` (one repeatable-read snapshot); restoring
  is ``pg_restore --clean --single-transaction``: all of it or, on any error, nothing.

Each is written to ``OUT.partial`` and renamed when complete, so a file named as the
backup is always a whole one.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def database_backup(*, out: Path, using: str = "default") -> Path:
    """Write a consistent copy of the database to ``out`` (which must not exist)."""
    if out.exists():
        raise BackupError(f"{out} exists already; choose a new name")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    settings_dict = connections[using].settings_dict
    if _is_sqlite(using):
        _sqlite_backup(Path(settings_dict["NAME"]), partial)
    else:
        _run(["pg_dump", "--format=custom", "--file", str(partial)], settings_dict)
    partial.replace(out)
    return out


def database_restore(*, source: Path, using: str = "default") -> None:
    """Replace everything in the database with the backup in ``source``."""
    header = source.read_bytes()[:16] if source.is_file() else b""
    settings_dict = connections[using].settings_dict
    connections[using].close()  # this process reopens it afterwards and sees the restored data
    if _is_sqlite(using):
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{source} is not an SQLite backup, and the database is SQLite")
        _sqlite_restore(source, Path(settings_dict["NAME"]))
    else:
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source} is not a pg_dump backup (custom format), and the database is PostgreSQL")
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*restore, "--exit-on-error", "--dbname", settings_dict["NAME"], str(source)], settings_dict)


def _is_sqlite(using: str) -> bool:
    return connections[using].vendor == "sqlite"


def _sqlite_backup(database: Path, out: Path) -> None:
    with closing(sqlite3.connect(database, timeout=20)) as source:
        source.execute("VACUUM INTO ?", (str(out),))
    with closing(sqlite3.connect(out)) as copy:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        out.unlink(missing_ok=True)
        raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")


def _sqlite_restore(source: Path, database: Path) -> None:
    with closing(sqlite3.connect(source)) as backup, closing(sqlite3.connect(database, timeout=20)) as live:
        verdict = backup.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{source} failed SQLite's integrity check: {verdict}")
        live.execute("PRAGMA busy_timeout=20000")
        backup.backup(live)
        live.execute("PRAGMA journal_mode=WAL")


def _run(command: list[str], settings_dict: dict) -> None:
    """Run a PostgreSQL client with the connection Django uses (libpq's PG* variables)."""
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    env = {**os.environ, **{key: str(value) for key, value in values.items() if value}}
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    if completed.returncode:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()}")
