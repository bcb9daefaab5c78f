"""The xAPI outbox: statements waiting for the Learning Record Store, and the names learners go by there."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.Model):
    """The opaque, stable name a learner goes by in the statements sent out (never their email,
    unless XAPI_ACTOR_EMAIL says so). Made at the learner's first learning event."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("learner"),
    )
    name = models.UUIDField(_("name in learning records"), unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("learning-record actor")
        verbose_name_plural = _("learning-record actors")

    def __str__(self) -> str:
        return str(self.name)


class Statement(models.Model):
    """One xAPI statement, written in the transaction of the event it reports and sent later.

    Its primary key is the statement's own id, so sending it again (after a lost answer, or by two
    workers at once) is recognised by the LRS as the same statement, not a new one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        REJECTED = "rejected", _("refused by the LRS")

    id = models.UUIDField(_("statement id"), primary_key=True)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("learner")
    )
    # The learner's record it reports ("reflection:12"): a pending statement on the same record is
    # replaced by a newer one, so autosaves make one statement, not one a save.
    record = models.CharField(_("record"), max_length=64, blank=True)
    payload = models.JSONField(_("statement"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created"))
    send_after = models.DateTimeField(_("send after"))
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "send_after"], name="statement_due"),
            models.Index(fields=["record"], name="statement_record", condition=~models.Q(record="")),
        ]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"
