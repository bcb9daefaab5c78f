from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interchange.scorm import STANDARDS, ScormExportError, scorm_package_write


class Command(BaseCommand):
    help = "Write a course as a SCORM package (a zip with one SCO per module) for a learning system to import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="the zip file to write")
        parser.add_argument("--course", required=True, help="the course's slug")
        parser.add_argument("--standard", default="1.2", help=f"the SCORM edition: {', '.join(STANDARDS)}")

    def handle(self, *args, out: str, course: str, standard: str, **options) -> None:
        try:
            modules = scorm_package_write(course_slug=course, standard=standard, out=Path(out))
        except ScormExportError as error:
            raise CommandError(str(error)) from error
        for module in modules:
            self.stdout.write(f"module {module.number}: {module.title}")
        self.stdout.write(self.style.SUCCESS(f"wrote SCORM {standard} package of {len(modules)} module(s) to {out}"))
