from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from backups.database import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A file written by `manage.py backup`.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, source: str, interactive: bool, **options) -> None:
        name = connection.settings_dict["NAME"]
        if interactive and input(f"Replace everything in {name} with {source}? Type 'yes': ") != "yes":
            raise CommandError("Nothing was restored.")
        try:
            database_restore(source=Path(source))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"restored {name} from {source}"))
