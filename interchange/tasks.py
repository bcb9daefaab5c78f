"""Sending statements in the background (django-tasks, run by ``manage.py worker``): never in a request."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from courses.events import LearningEvent

from .outbox import enabled, statement_record, statements_send


@task()
def send_statements() -> int:
    """Send what is due; while statements wait (a failed batch, a reflection still settling), come back
    when the next is due. The worker's sweep (``send_statements`` command) catches a task that was lost."""
    report = statements_send()
    if report.next_at is not None and enabled():
        send_soon(at=report.next_at)
    return report.sent


def send_soon(*, at: datetime | None = None) -> None:
    """Queue a send for ``at`` (now), unless one is queued already for then or earlier."""
    at = at or timezone.now()
    queued = DBTaskResult.objects.filter(task_path=send_statements.module_path, status=TaskResultStatus.READY)
    if queued.filter(Q(run_after__lte=at) | Q(run_after=get_date_max())).exists():
        return
    send_statements.using(run_after=at).enqueue()


def event_recorded(event: LearningEvent) -> None:
    """``courses.events``' listener: the statement into the outbox now, a send once the event commits."""
    if (due := statement_record(event)) is not None:
        transaction.on_commit(lambda: send_soon(at=due))
