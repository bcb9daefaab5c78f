from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Activity
from reflections.models import Reflection


class RevisitState(models.Model):
    """What the learner did with one revisit of a reflection: ``stage`` is its day (2, 7, 21 after writing).

    No row: not answered, snoozed or dismissed yet. Revisits themselves are computed from the
    reflection's date and the course's days, so nothing is scheduled ahead and nothing piles up.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="+")
    stage = models.PositiveSmallIntegerField(_("day"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reflection", "stage"], name="revisit_once_per_stage")]
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")

    def __str__(self) -> str:
        return f"{self.reflection} · day {self.stage}"


class DigestSubscription(models.Model):
    """A learner who asked for the weekly digest (no row, or ``active`` off: no email, ever)."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(_("wants the weekly digest"), default=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    last_sent_week = models.CharField(_("last sent (ISO week)"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return f"{self.learner} · {'on' if self.active else 'off'}"


class RecallCard(models.Model):
    """One takeaway the learner practises recalling, scheduled by FSRS (``card`` is the scheduler's state)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")  # a module's takeaways
    item = models.PositiveSmallIntegerField(_("takeaway"))  # its index in the activity's items
    card = models.JSONField(_("scheduler state"))
    due_at = models.DateTimeField(_("due"))
    reviews = models.PositiveIntegerField(_("reviews"), default=0)
    last_rating = models.PositiveSmallIntegerField(_("last rating"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "activity", "item"], name="recall_card_once")]
        indexes = [models.Index(fields=["learner", "due_at"], name="recall_due")]
        verbose_name = _("recall card")
        verbose_name_plural = _("recall cards")

    def __str__(self) -> str:
        return f"{self.learner} · {self.activity} #{self.item}"

    @property
    def takeaway(self) -> str:
        items = self.activity.items
        return items[self.item] if self.item < len(items) else ""
