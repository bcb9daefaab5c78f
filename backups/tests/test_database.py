"""Online backup and restore, on whichever database the suite runs (SQLite or PostgreSQL)."""

import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backups.database import database_backup
from courses.models import Activity
from reflections.models import Reflection
from reflections.services import reflection_save
from testing.factories import import_modules, make_learner

pytestmark = pytest.mark.django_db(transaction=True)
SAVERS = 4


class Savers:
    """Learners saving their reflection in threads, each save recorded once it returned (confirmed)."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.learners = [make_learner(f"saver{index}@example.com") for index in range(SAVERS)]
        self.confirmed = {learner.pk: 0 for learner in self.learners}
        self.lock, self.done = threading.Lock(), threading.Event()
        self.errors: list[Exception] = []
        self.threads = [threading.Thread(target=self._save, args=(learner,)) for learner in self.learners]

    def _save(self, learner) -> None:
        revision = 0
        try:
            while not self.done.is_set():
                text = f"[{learner.pk} {revision + 1}] " + "words " * 200
                result = reflection_save(
                    learner=learner,
                    activity=self.activity,
                    text=text,
                    base_revision=revision,
                    save_id=uuid.uuid4().hex,
                )
                revision = result.reflection.revision
                with self.lock:
                    self.confirmed[learner.pk] = revision
                time.sleep(0.002)  # let the other savers take SQLite's write lock too
        except Exception as error:
            self.errors.append(error)
            raise
        finally:
            connection.close()

    def __enter__(self) -> "Savers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for_every_learner(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not all(self.snapshot().values()) and time.monotonic() < deadline and not self.errors:
            time.sleep(0.05)

    def snapshot(self) -> dict[int, int]:
        with self.lock:
            return dict(self.confirmed)


def stored() -> dict[int, tuple[int, str]]:
    return {row.learner_id: (row.revision, row.text) for row in Reflection.objects.all()}


def test_a_backup_taken_while_learners_save_restores_every_save_confirmed_before_it(tmp_path):
    """Every save confirmed before the backup started is in the restored database, with its
    text; saves made after the backup are gone, so the restore did replace the data."""
    import_modules()
    activity = Activity.objects.filter(kind="reflection").first()
    out = tmp_path / "site.backup"
    with Savers(activity) as savers:
        savers.wait_for_every_learner()
        before = savers.snapshot()
        database_backup(out=out)
        time.sleep(0.5)
    after = savers.snapshot()
    assert not savers.errors
    assert all(before.values()), "every learner had saved before the backup"

    call_command("restore", str(out), "--noinput")

    restored = stored()
    for learner_id, revision in before.items():
        kept_revision, text = restored[learner_id]
        assert kept_revision >= revision, f"learner {learner_id}: confirmed {revision}, restored {kept_revision}"
        assert text.startswith(f"[{learner_id} {kept_revision}] ")
    assert any(restored[learner_id][0] < revision for learner_id, revision in after.items())


def test_a_restored_database_takes_new_saves(tmp_path):
    """After a restore the site works on: a learner saves again from the restored revision."""
    import_modules()
    activity = Activity.objects.filter(kind="reflection").first()
    learner = make_learner("again@example.com")
    reflection_save(learner=learner, activity=activity, text="first", base_revision=0)
    call_command("backup", str(tmp_path / "one.backup"))
    reflection_save(learner=learner, activity=activity, text="second", base_revision=1)

    call_command("restore", str(tmp_path / "one.backup"), "--noinput")
    result = reflection_save(learner=learner, activity=activity, text="after the restore", base_revision=1)

    assert (result.reflection.revision, result.reflection.text) == (2, "after the restore")


def test_a_backup_never_overwrites_a_file(tmp_path):
    """Naming an existing file is refused, and the file is left as it was."""
    existing = tmp_path / "kept.backup"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_text() == "an older backup"


def test_a_file_that_is_not_a_backup_of_this_database_is_refused(tmp_path):
    """Restoring something else changes nothing and says why."""
    make_learner("still@example.com")
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a database")
    with pytest.raises(CommandError, match="is not"):
        call_command("restore", str(wrong), "--noinput")
    assert Reflection.objects.count() == 0
    assert Path(wrong).read_text() == "not a database"
