import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course


class Cohort(models.Model):
    """A group of learners taking a course together, with the facilitators (coaches) who follow them."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+", verbose_name=_("course"))
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:dashboard", args=[self.pk])


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    FACILITATOR = "facilitator", _("Facilitator")


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user", "role"], name="membership_once_per_role")]
        indexes = [models.Index(fields=["user", "role"], name="membership_by_user")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort} · {self.role}"


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: not guessable


class Invite(models.Model):
    """A link that lets learners join a cohort: revocable, with an optional expiry and seat limit."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    used = models.PositiveIntegerField(_("joined through it"), default=0)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("invite")
        verbose_name_plural = _("invites")

    def __str__(self) -> str:
        return f"{self.cohort} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cohorts:join", args=[self.token])

    def unusable_because(self, now=None) -> str:
        """Why nobody can join through it now ("" when they can)."""
        now = now or timezone.now()
        if self.revoked_at:
            return _("This invite link was withdrawn.")
        if self.expires_at and self.expires_at <= now:
            return _("This invite link has expired.")
        if self.seats is not None and self.used >= self.seats:
            return _("This cohort is full: every seat of this invite is taken.")
        return ""
