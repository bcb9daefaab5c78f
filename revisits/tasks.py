"""Background work on the task queue (django-tasks; the database backend by default)."""

from django_tasks import task

from .digests import digest_send, due_subscribers, iso_week


@task()
def send_digest(learner_id: int, week: str) -> bool:
    return digest_send(learner_id=learner_id, week=week)


def digests_enqueue(week: str | None = None) -> int:
    """One task per subscriber whose digest for this week is not sent yet. Enqueuing twice is harmless:
    a second task finds the week recorded and sends nothing."""
    week = week or iso_week()
    learners = due_subscribers(week)
    for learner_id in learners:
        send_digest.enqueue(learner_id, week)
    return len(learners)
