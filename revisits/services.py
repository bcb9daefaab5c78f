"""Answering, snoozing and dismissing revisits; subscribing to the digest."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from reflections.models import Reflection
from reflections.services import follow_up_add

from .models import DigestSubscription, RecallCard, RevisitState

SNOOZE = timedelta(days=3)


def _state(*, learner: User, reflection: Reflection, stage: int) -> RevisitState:
    state, _ = RevisitState.objects.get_or_create(learner=learner, reflection=reflection, stage=stage)
    return state


@transaction.atomic
def revisit_answer(*, learner: User, reflection: Reflection, stage: int, question: str, text: str) -> None:
    """Keep the answer as a dated follow-up under the reflection; the revisit is done."""
    follow_up_add(reflection=reflection, question=question, text=text)
    RevisitState.objects.filter(pk=_state(learner=learner, reflection=reflection, stage=stage).pk).update(
        answered_at=timezone.now()
    )


def revisit_snooze(*, learner: User, reflection: Reflection, stage: int) -> None:
    """Ask again in a few days."""
    state = _state(learner=learner, reflection=reflection, stage=stage)
    RevisitState.objects.filter(pk=state.pk).update(snoozed_until=timezone.now() + SNOOZE)


def revisit_dismiss(*, learner: User, reflection: Reflection, stage: int) -> None:
    state = _state(learner=learner, reflection=reflection, stage=stage)
    RevisitState.objects.filter(pk=state.pk).update(dismissed_at=timezone.now())


def digest_subscribe(*, learner: User, active: bool) -> DigestSubscription:
    subscription, _ = DigestSubscription.objects.update_or_create(learner=learner, defaults={"active": active})
    return subscription


def revisits_delete(*, learner: User) -> None:
    RevisitState.objects.filter(learner=learner).delete()
    DigestSubscription.objects.filter(learner=learner).delete()
    RecallCard.objects.filter(learner=learner).delete()
