"""Scores go to learning systems on the task queue (django-tasks; `manage.py worker` runs it)."""

import logging
from datetime import timedelta

import requests
from django.utils import timezone
from django_tasks import task
from pylti1p3.exception import LtiException

from .models import GradeTarget
from .services import score_send

logger = logging.getLogger(__name__)

# A platform that is down gets the score again after 1, 4, 16, 64 and 256 minutes (about 5.7 hours).
ATTEMPTS = 6


def retry_delay(attempt: int) -> timedelta:
    return timedelta(minutes=4 ** (attempt - 1))


@task()
def send_score(target_id: int, attempt: int = 1) -> bool:
    """Send a completed module's score; on failure queue the next attempt (the task itself does not
    fail, so the retry it queued is kept). False when the target is gone or every attempt failed."""
    target = GradeTarget.objects.select_related("platform").filter(pk=target_id).first()
    if target is None:
        return False
    try:
        score_send(target=target)
    except (LtiException, requests.RequestException, ValueError, KeyError) as error:
        if attempt >= ATTEMPTS:
            logger.error("LTI score for %s not taken after %d attempts: %s", target.lineitem_url, attempt, error)
            return False
        logger.warning("LTI score for %s not taken (attempt %d): %s", target.lineitem_url, attempt, error)
        send_score.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(target_id, attempt + 1)
        return False
    return True
