"""The xAPI outbox: statements are written with the event and sent to the LRS later, in batches.

Writing: :func:`statement_record` (through ``tasks.event_recorded``, ``courses.events``' listener). With
XAPI_ENDPOINT set it adds the statement to the outbox in the event's own transaction, so an event is
never recorded without its statement, nor a statement kept for an event rolled back.

Sending: :func:`statements_send` posts the due statements, oldest first, XAPI_BATCH_SIZE at a time.
A batch the LRS cannot take now (down, overloaded, a network error) waits: its statements are tried
again after XAPI_RETRY_SECONDS, doubled at each failure up to XAPI_RETRY_MAX_SECONDS. A batch the LRS
refuses as such (4xx) is sent statement by statement, and a statement refused alone is set aside
as rejected with the LRS's answer, so one bad statement never holds up the others.
"""

import base64
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import User
from courses.events import EventKind, LearningEvent

from .models import Actor, Statement
from .statements import account_actor, mailbox_actor, statement

# Answers that say "not now" rather than "not this": the statements wait and are sent again.
RETRY_STATUSES = {401, 403, 404, 408, 425, 429}
# Sent statements are kept this long (the learner's data export shows them), then forgotten: the LRS has them.
SENT_KEPT = timedelta(days=30)


def _pending():
    return Statement.objects.filter(status=Statement.Status.PENDING)


def enabled() -> bool:
    return bool(settings.XAPI_ENDPOINT)


def statement_record(event: LearningEvent) -> datetime | None:
    """Put the statement reporting ``event`` in the outbox and return when it is due (None, and
    nothing written, without an LRS configured)."""
    if not enabled():
        return None
    learner = User.objects.only("email", "shares_text_in_records").get(pk=event.learner_id)
    statement_id = uuid.uuid4()
    payload = statement(
        event, statement_id=str(statement_id), actor=_actor(learner), with_text=learner.shares_text_in_records
    )
    record, settle = "", timedelta(0)
    if event.kind == EventKind.REFLECTION_WRITTEN:
        record, settle = f"reflection:{event.record}", timedelta(seconds=settings.XAPI_REFLECTION_SETTLE_SECONDS)
        _pending().filter(record=record).delete()  # still being typed: this statement replaces the unsent one
    Statement.objects.create(
        id=statement_id,
        learner_id=event.learner_id,
        record=record,
        payload=payload,
        created_at=event.at,
        send_after=event.at + settle,
    )
    return event.at + settle


def _actor(learner: User) -> dict:
    if settings.XAPI_ACTOR_EMAIL:
        return mailbox_actor(learner.email)
    name, _ = Actor.objects.get_or_create(learner_id=learner.pk)
    return account_actor(str(name.name))


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (refused connection, timeout)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def refused(self) -> bool:
        """The LRS refused these statements; sending them again will not help."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in RETRY_STATUSES


def lrs_post(payloads: list[dict]) -> Answer:
    """POST statements to the LRS's statements resource (xAPI 1.0.3, basic auth)."""
    credentials = base64.b64encode(f"{settings.XAPI_USERNAME}:{settings.XAPI_PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        f"{settings.XAPI_ENDPOINT}/statements",
        data=json.dumps(payloads).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.XAPI_TIMEOUT) as response:
            return Answer(response.status)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(400).decode(errors="replace"))
    except (OSError, ValueError) as error:  # refused, reset, timed out, unresolvable, bad URL
        return Answer(None, str(error))


@dataclass(frozen=True)
class SendReport:
    sent: int
    rejected: int
    waiting: int
    next_at: datetime | None  # when the earliest waiting statement is due


def statements_send(*, now: datetime | None = None) -> SendReport:
    """Send every due statement; stop at the first batch the LRS cannot take now."""
    now = now or timezone.now()
    sent = rejected = 0
    if enabled():
        due = _pending().filter(send_after__lte=now).order_by("send_after", "created_at")
        while batch := list(due[: max(1, settings.XAPI_BATCH_SIZE)]):
            done, refused = _send(batch, now=now)
            sent, rejected = sent + done, rejected + refused
            if done + refused < len(batch):
                break
    Statement.objects.filter(status=Statement.Status.SENT, sent_at__lt=now - SENT_KEPT).delete()
    waiting = _pending().aggregate(next_at=Min("send_after"), count=Count("pk"))
    return SendReport(sent=sent, rejected=rejected, waiting=waiting["count"], next_at=waiting["next_at"])


def _send(batch: list[Statement], *, now: datetime) -> tuple[int, int]:
    """(sent, rejected) of this batch; what is neither waits for its next attempt."""
    answer = lrs_post([row.payload for row in batch])
    if answer.ok:
        Statement.objects.filter(pk__in=[row.pk for row in batch]).update(status=Statement.Status.SENT, sent_at=now)
        return len(batch), 0
    if answer.refused and len(batch) > 1:
        results = [_send([row], now=now) for row in batch]
        return sum(done for done, _ in results), sum(refused for _, refused in results)
    if answer.refused:
        (row,) = batch
        Statement.objects.filter(pk=row.pk).update(status=Statement.Status.REJECTED, last_error=_error(answer))
        return 0, 1
    _postpone(batch, answer=answer, now=now)
    return 0, 0


def _postpone(batch: list[Statement], *, answer: Answer, now: datetime) -> None:
    """Try again later, each statement after twice the wait of its previous attempt (one update per count)."""
    for attempts in {row.attempts + 1 for row in batch}:
        # At least a second: a send task that re-queued itself at once would spin while the LRS is down.
        delay = max(1, min(settings.XAPI_RETRY_SECONDS * 2 ** (attempts - 1), settings.XAPI_RETRY_MAX_SECONDS))
        Statement.objects.filter(pk__in=[row.pk for row in batch if row.attempts + 1 == attempts]).update(
            attempts=attempts, send_after=now + timedelta(seconds=delay), last_error=_error(answer)
        )


def _error(answer: Answer) -> str:
    return f"{answer.status or 'no answer'}: {answer.detail}"[:500]
