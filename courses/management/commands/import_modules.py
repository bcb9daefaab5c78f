from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.importer import modules_sync


class Command(BaseCommand):
    help = "Import module files (plain text or canonical Markdown) and folders of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Module files, or folders searched for .md and .txt files.")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, paths: list[str], check: bool, verbosity: int, **options) -> None:
        result = modules_sync(paths=paths, check=check, on_progress=self._progress if verbosity else None)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        for warning in result.warnings if verbosity else []:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        verb = "would import" if check else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {len(result.created)} new, {len(result.updated)} updated, {len(result.unchanged)} unchanged"
            )
        )

    def _progress(self, done: int, total: int) -> None:
        """A progress line on a terminal; every 10% otherwise, for long imports only."""
        if total < 50:
            return
        if self.stderr.isatty():
            self.stderr.write(f"\rreading module files: {done}/{total}", ending="\n" if done == total else "")
        elif done == total or done % max(1, total // 10) == 0:
            self.stderr.write(f"reading module files: {done}/{total}")
