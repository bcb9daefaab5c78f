from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from backups.database import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a consistent copy of the database while the site keeps serving (SQLite or PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", nargs="?", help="The file to write; default: a dated file in $DATA_DIR/backups/.")

    def handle(self, *args, out: str | None, **options) -> None:
        if out is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
            out = str(settings.BACKUP_DIR / f"backup-{stamp}.{suffix}")
        try:
            written = database_backup(out=Path(out))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"backup written: {written} ({written.stat().st_size:,} bytes)"))
