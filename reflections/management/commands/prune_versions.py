from django.core.management.base import BaseCommand

from reflections.limits import VERSIONS_KEPT_WHOLE_DAYS
from reflections.services import reflection_versions_prune


class Command(BaseCommand):
    help = (
        f"Apply the retention policy to earlier versions of reflections and planner answers: every "
        f"sitting for {VERSIONS_KEPT_WHOLE_DAYS} days, then the last of each day; never the current text. "
        "Safe to run at any time and as often as you like (cron: daily)."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        deleted = reflection_versions_prune()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"pruned {deleted} earlier version(s)"))
