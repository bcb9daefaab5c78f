"""manage.py worker: the background worker `make run` starts beside the web server.

Every --sweep seconds it queues this week's digests not yet sent (a digest a killed worker did not
finish is queued again: nothing is lost) and runs the other apps' sweeps (settings.WORKER_SWEEP_COMMANDS:
``send_statements`` sends the xAPI statements still waiting), then runs every task that is ready, through
django-tasks-db's own worker loop. Several workers may run at once, on SQLite or PostgreSQL: each
task is claimed by one.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from revisits.tasks import digests_enqueue


class Command(BaseCommand):
    help = "Run background tasks (weekly digests, xAPI statements) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--sweep", type=float, default=300, help="seconds between digest sweeps (default 300)")
        parser.add_argument("--interval", type=float, default=2, help="seconds between looks at the queue")
        parser.add_argument("--once", action="store_true", help="one sweep, run what is ready, then stop")

    def handle(self, *args, sweep: float, interval: float, once: bool, **options):
        last_sweep = 0.0
        while True:
            if time.monotonic() - last_sweep >= sweep or once:
                queued = digests_enqueue()
                if queued:
                    self.stdout.write(f"queued {queued} digest(s)")
                for command in settings.WORKER_SWEEP_COMMANDS:
                    call_command(command, stdout=self.stdout, verbosity=0)
                last_sweep = time.monotonic()
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
            if once:
                return
            time.sleep(interval)
