"""Takeaway recall: the learner recalls a takeaway in their own words, sees it, rates how close they
were, and FSRS (the `fsrs` library) schedules the next time. Cards are made for the takeaways of
every module the learner has opened."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from accounts.models import User
from courses.models import Activity
from progress.selectors import modules_opened

from .models import RecallCard

# Days, not minutes: a course is practised between working days, not in one sitting.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}


def recall_cards_sync(*, learner: User) -> None:
    """A card, due now, for each takeaway of each module the learner opened and has no card for yet."""
    activities = Activity.objects.filter(module__in=modules_opened(learner=learner), kind="takeaways", is_active=True)
    have = set(RecallCard.objects.filter(learner=learner).values_list("activity_id", "item"))
    now = timezone.now()
    new = [
        RecallCard(learner=learner, activity=a, item=i, card=Card(due=now).to_dict(), due_at=now)
        for a in activities
        for i in range(len(a.items))
        if (a.pk, i) not in have
    ]
    RecallCard.objects.bulk_create(new, ignore_conflicts=True)


def recall_due(*, learner: User, now: datetime | None = None):
    """The learner's recall cards due now, oldest first (with their module)."""
    rows = RecallCard.objects.filter(learner=learner, due_at__lte=now or timezone.now())
    return rows.select_related("activity__module__course").order_by("due_at", "pk")


def recall_card_for(*, learner: User, card_id: int) -> RecallCard | None:
    return RecallCard.objects.select_related("activity__module").filter(learner=learner, pk=card_id).first()


@transaction.atomic
def recall_rate(*, card: RecallCard, rating: str, now: datetime | None = None) -> RecallCard:
    """Schedule the card from how close the learner's recall was."""
    card = RecallCard.objects.select_for_update().get(pk=card.pk)
    scheduled, _ = SCHEDULER.review_card(
        Card.from_dict(card.card), RATINGS[rating], review_datetime=now or timezone.now()
    )
    card.card, card.due_at = scheduled.to_dict(), scheduled.due
    card.reviews += 1
    card.last_rating = int(RATINGS[rating])
    card.save(update_fields=["card", "due_at", "reviews", "last_rating"])
    return card
