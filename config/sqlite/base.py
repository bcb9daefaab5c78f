"""SQLite, with writers queued on a lock file instead of on SQLite's busy handler.

SQLite lets one connection write at a time. When a second process finds the
database locked, SQLite makes it sleep and try again, in steps of 1, 2, 5, 10,
15, 20, 25 ms and on, however soon the first one commits: under `make bench`'s
saves, the two workers spent a quarter of their time asleep while the lock was
free. Here every write first takes an exclusive ``flock`` on ``<database>.lock``,
which the kernel hands to the next waiting writer the moment it is released:

- a transaction (each begins with BEGIN IMMEDIATE, ``transaction_mode`` in
  config/env.py) holds it from BEGIN to its COMMIT or ROLLBACK;
- a statement that writes outside a transaction holds it while it runs.

Reads never take it: in WAL mode they do not wait for writers. A database in
memory has no file and no other process to queue with, so it takes no lock.
"""

import contextlib
import fcntl
import os

from django.db.backends.sqlite3 import base, creation

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteQueue:
    """The lock file of one connection: an exclusive flock, taken and released at most once each."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.held = False

    def take(self) -> None:
        if not self.held:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        os.close(self.fd)


class CursorWrapper(base.SQLiteCursorWrapper):
    queue: WriteQueue | None = None

    def execute(self, query, params=None):
        if self.queue is None or self.queue.held or not query.lstrip()[:7].upper().startswith(WRITES):
            return super().execute(query, params)
        self.queue.take()  # a write outside a transaction: SQLite commits it when it ends
        try:
            return super().execute(query, params)
        finally:
            self.queue.release()

    def executemany(self, query, param_list):
        if self.queue is None or self.queue.held:
            return super().executemany(query, param_list)
        self.queue.take()
        try:
            return super().executemany(query, param_list)
        finally:
            self.queue.release()


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        """The test database goes, and its lock file with it."""
        super()._destroy_test_db(test_database_name, verbosity)
        if test_database_name and not self.is_in_memory_db(test_database_name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{test_database_name}.lock")


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    queue: WriteQueue | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self.queue = WriteQueue(f"{self.settings_dict['NAME']}.lock")
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.queue = self.queue
        return cursor

    def _start_transaction_under_autocommit(self):
        if self.queue is not None:
            self.queue.take()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if self.queue is not None:
            self.queue.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self.queue is not None:
                self.queue.close()
                self.queue = None
