"""The weekly digest: due revisits and where the learner left off, only to learners who asked for it.

Sending is idempotent per learner and ISO week: the subscription row is locked, the email sent, and
the week recorded in the same transaction. A worker killed before the commit leaves the week
unrecorded, so the next sweep sends it (nothing lost); one killed after it has recorded it (nothing
sent twice). The only gap is a kill between the mail server's acceptance and the commit, a few
milliseconds wide, when the digest is sent again the next sweep.
"""

from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.selectors import course_outline, courses_listed
from progress.selectors import course_progress

from .models import DigestSubscription
from .selectors import due_revisits

UNSUBSCRIBE_SALT = "revisits.digest.unsubscribe"


def iso_week(now: datetime | None = None) -> str:
    year, week, _ = timezone.localtime(now or timezone.now()).isocalendar()
    return f"{year}-W{week:02d}"


def unsubscribe_token(learner: User) -> str:
    return signing.dumps({"learner": learner.pk}, salt=UNSUBSCRIBE_SALT)


def learner_of_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("learner")).first()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def digest_message(learner: User, *, now: datetime | None = None) -> EmailMultiAlternatives | None:
    """The learner's digest, or None when there is nothing to say."""
    revisits = due_revisits(viewer=learner, learner=learner, now=now)
    resume = []
    for course in courses_listed():
        progress = course_progress(learner=learner, modules=course_outline(course=course))
        if progress.started and progress.continue_module is not None:
            # The section they were reading, as the course page's Continue link has it.
            place = f"#{quote(progress.continue_at)}" if progress.continue_at else ""
            url = _absolute(progress.continue_module.get_absolute_url()) + place
            resume.append((course, progress.continue_module, url))
    if not revisits and not resume:
        return None
    unsubscribe = _absolute(reverse("revisits:unsubscribe", args=[unsubscribe_token(learner)]))
    context = {
        "learner": learner,
        "revisits": [(r, _absolute(r.reflection.activity.module.course.get_absolute_url())) for r in revisits],
        "resume": resume,
        "unsubscribe": unsubscribe,
        "settings_url": _absolute(reverse("revisits:settings")),
    }
    message = EmailMultiAlternatives(
        subject=_("Your week in The Sales Blueprint System"),
        body=render_to_string("revisits/digest.txt", context),
        to=[learner.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("revisits/digest.html", context), "text/html")
    return message


def digest_send(*, learner_id: int, week: str) -> bool:
    """Send the learner's digest for ``week`` unless it was sent or they unsubscribed; True if sent."""
    with transaction.atomic():
        subscription = (
            DigestSubscription.objects.select_for_update()
            .select_related("learner")
            .filter(learner_id=learner_id)
            .first()
        )
        if subscription is None or not subscription.active or subscription.last_sent_week == week:
            return False
        message = digest_message(subscription.learner)
        if message is not None:
            message.send()
        DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_week=week)
        return message is not None


def due_subscribers(week: str) -> list[int]:
    rows = DigestSubscription.objects.filter(active=True).exclude(last_sent_week=week)
    return list(rows.values_list("learner_id", flat=True))
