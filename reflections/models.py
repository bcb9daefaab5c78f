from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.formats.planner import planner_title
from courses.models import Activity

REFLECTION = "reflection"  # the activity kinds this app keeps records for
PLANNER = "planner"  # a worksheet: one record per declared field, saved like a reflection


class ReflectionQuerySet(models.QuerySet["Reflection"]):
    def of_learner(self, learner) -> "ReflectionQuerySet":
        return self.filter(learner=learner).select_related("activity__module__course")

    def in_course_order(self) -> "ReflectionQuerySet":
        return self.order_by(
            "activity__module__course__position", "activity__module__course__title",
            "activity__module__number", "activity__position",
        )  # fmt: skip


class Reflection(models.Model):
    """A learner's current answer to a reflection activity. Private to the learner.

    ``revision`` counts accepted saves; a save names the revision it was based
    on, so a stale tab cannot overwrite newer text. ``last_save_id`` is the
    client's id for the last accepted save, so a retried save is not applied twice.
    A planner's fields are answered the same way, one row per field (``field``
    names it; blank for a reflection prompt's answer).
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("learner")
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+", verbose_name=_("prompt"))
    field = models.CharField(_("planner field"), max_length=64, blank=True, default="")
    text = models.TextField(_("text"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    last_save_id = models.CharField(max_length=64, blank=True, editable=False)
    # The version that saves in the current sitting update, so a save needs no search for it.
    current_version = models.ForeignKey(
        "ReflectionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Characters held in this answer's versions (the current text is the current version's),
    # kept by the saving service so a learner's storage ceiling is one indexed sum.
    stored_chars = models.PositiveBigIntegerField(_("stored characters"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"))
    # What a coach's dashboard may know without reading the text.
    word_count = models.PositiveIntegerField(_("words"), default=0, editable=False)
    # Set while the learner shares this answer with the coaches of their cohorts; None: private.
    shared_at = models.DateTimeField(_("shared with coaches"), null=True, blank=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "activity", "field"], name="reflection_one_per_activity_field")
        ]
        indexes = [models.Index(fields=["learner", "-updated_at"], name="reflection_recent")]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return f"{self.learner} · {self.activity}" + (f" · {self.field}" if self.field else "")

    def get_absolute_url(self) -> str:
        if self.field:
            return f"{reverse('reflections:planner', args=[self.activity_id])}#{self.field}"
        return self.activity.get_absolute_url()

    @property
    def planner_title(self) -> str:
        """The title of the planner this answers a field of ('' for a reflection)."""
        return planner_title(self.activity.text) if self.field else ""

    @property
    def field_label(self) -> str:
        """A planner field's label as its module file declares it now (its id if the field was removed)."""
        return next((item["label"] for item in self.activity.items if item["id"] == self.field), self.field)


class ReflectionVersion(models.Model):
    """A snapshot of a reflection; one per editing window (see services.VERSION_WINDOW)."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(_("text"), blank=True)
    revision = models.PositiveIntegerField(_("revision"))
    started_at = models.DateTimeField(_("started"))
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("reflection version")
        verbose_name_plural = _("reflection versions")

    def __str__(self) -> str:
        return f"{self.reflection} @ {self.revision}"


class Feedback(models.Model):
    """A coach's note on an answer the learner shared. It stays with the learner's data."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("coach")
    )
    author_name = models.CharField(_("coach's name"), max_length=150)  # kept if the coach's account goes
    text = models.TextField(_("feedback"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.author_name} on {self.reflection}"


class FollowUp(models.Model):
    """What the learner wrote when they came back to a reflection (a revisit): dated, under it."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="follow_ups")
    question = models.CharField(_("question"), max_length=300)
    text = models.TextField(_("follow-up"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.reflection} · {self.created_at:%Y-%m-%d}"
