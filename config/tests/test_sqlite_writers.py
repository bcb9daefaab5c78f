"""The SQLite backend (config/sqlite): a second writer waits for the first one's commit on the
lock file, and is handed the lock as soon as it is free, instead of sleeping in SQLite's busy
handler or failing with "database is locked". Real connections to the test database file."""

import threading
import time

import pytest
from django.db import connection

from accounts.models import RequestCount

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")

HOLD = 0.4  # seconds the first writer keeps its transaction open


def open_connection():
    """Another connection to the test database, its busy timeout cut to 50 ms: without the lock
    file, a writer that finds the database locked would fail after that."""
    other = connection.copy()
    other.ensure_connection()
    other.connection.execute("PRAGMA busy_timeout = 50")
    return other


def begin(db) -> None:
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


INSERT = "INSERT INTO accounts_requestcount (key, count, expires_at) VALUES (%s, 1, '2100-01-01 00:00:00')"


def insert(db, key: str) -> None:
    with db.cursor() as cursor:
        cursor.execute(INSERT, [key])


def commit(db) -> None:
    db.commit()
    db.set_autocommit(True)


@pytest.mark.parametrize("in_transaction", [True, False], ids=["transaction", "single-statement"])
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_commit_then_writes(in_transaction):
    first = open_connection()
    begin(first)
    insert(first, "first")
    outcome: dict = {}

    def second_writer() -> None:
        second = open_connection()
        try:
            started = time.monotonic()
            if in_transaction:
                begin(second)
                outcome["waited"] = time.monotonic() - started
                insert(second, "second")
                commit(second)
            else:  # SQLite commits it on its own; outside a transaction, through Django's cursor
                with second.cursor() as cursor:
                    cursor.execute(INSERT, ["second"])
                outcome["waited"] = time.monotonic() - started
        except Exception as error:  # reported to the test below
            outcome["error"] = error
        finally:
            second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(HOLD)
    assert thread.is_alive(), "the second writer did not wait for the first one's transaction"
    commit(first)
    thread.join(timeout=10)
    first.close()

    assert "error" not in outcome, outcome.get("error")
    assert outcome["waited"] >= HOLD * 0.9
    assert set(RequestCount.objects.values_list("key", flat=True)) == {"first", "second"}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_or_closed_writer_frees_the_lock():
    first = open_connection()
    begin(first)
    insert(first, "undone")
    first.rollback()
    first.set_autocommit(True)
    begin(first)
    first.close()  # closing mid-transaction frees it too
    done = threading.Event()

    def second_writer() -> None:
        second = open_connection()
        begin(second)
        insert(second, "after")
        commit(second)
        second.close()
        done.set()

    threading.Thread(target=second_writer, daemon=True).start()
    assert done.wait(timeout=5), "the lock was still held after a rollback and a close"
    assert list(RequestCount.objects.values_list("key", flat=True)) == ["after"]


def test_destroying_a_test_database_removes_its_lock_file(tmp_path):
    database = tmp_path / "test-db.sqlite3"
    database.write_bytes(b"")
    (tmp_path / "test-db.sqlite3.lock").write_bytes(b"")
    connection.creation._destroy_test_db(str(database), verbosity=0)
    assert list(tmp_path.iterdir()) == []
