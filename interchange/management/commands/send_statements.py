"""manage.py send_statements: send the xAPI statements that are due now, and queue a send for the rest.

The worker runs it at every sweep, so statements left waiting by a lost task (a worker killed
mid-send, an LRS that came back while nothing new happened) are sent all the same.
"""

from django.core.management.base import BaseCommand

from interchange.outbox import enabled, statements_send
from interchange.tasks import send_soon


class Command(BaseCommand):
    help = "Send the xAPI statements waiting in the outbox to the LRS (XAPI_ENDPOINT)."

    def handle(self, *args, verbosity: int, **options):
        if not enabled():
            if verbosity:
                self.stdout.write("No LRS configured (XAPI_ENDPOINT): nothing to send.")
            return
        report = statements_send()
        if report.next_at is not None:
            send_soon(at=report.next_at)
        if verbosity or report.sent or report.rejected:  # the worker's sweep says only what it did
            self.stdout.write(f"sent {report.sent}, rejected {report.rejected}, waiting {report.waiting}")
