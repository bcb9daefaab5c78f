from django.core.management.base import BaseCommand, CommandParser

from courses.importer import modules_export


class Command(BaseCommand):
    help = "Write every module as canonical Markdown into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options) -> None:
        written = modules_export(directory=directory)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"exported {len(written)} module(s) to {directory}"))
