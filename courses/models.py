from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .formats.course import REVISIT_DAYS, REVISIT_QUESTION


def default_revisit_days() -> list[int]:
    return list(REVISIT_DAYS)


def default_revisit_question() -> str:
    return REVISIT_QUESTION


class Course(models.Model):
    """A programme of modules, as imported from a course folder (``course.yaml``)."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("short description"), blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # Days after a reflection is written that the learner is asked to come back to it, and what is asked.
    revisit_days = models.JSONField(_("revisit after (days)"), default=default_revisit_days)
    revisit_question = models.CharField(_("revisit question"), max_length=300, default=default_revisit_question)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course", kwargs={"course": self.slug})


class ModuleQuerySet(models.QuerySet["Module"]):
    def outline(self) -> "ModuleQuerySet":
        """A course in order, with only what a table of contents shows."""
        return (
            self.select_related("course")
            .order_by("course__position", "course__title", "number")
            .only(
                "number",
                "slug",
                "title",
                "subtitle",
                "quote",
                "minutes",
                "minutes_declared",
                "outcome_html",
                "course__slug",
                "course__title",
            )
        )

    def with_shown_activities(self) -> "ModuleQuerySet":
        """Each module with its course and the activities it shows, in order (one query for all)."""
        shown = models.Prefetch("activities", queryset=Activity.objects.shown())
        return self.select_related("course").prefetch_related(shown)


class Module(models.Model):
    """One lesson of a course, as imported from a module file: an ordered list of activities.

    The Markdown fields are the source; the ``*_html`` fields are rendered and
    sanitised once at import, so showing a lesson never runs the Markdown parser.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="modules", verbose_name=_("course"))
    number = models.PositiveIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    quote = models.TextField(_("pull quote"), blank=True)
    outcome = models.TextField(_("outcome (Markdown)"))
    outcome_html = models.TextField(editable=False)
    minutes_declared = models.PositiveSmallIntegerField(_("declared minutes"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    content_hash = models.CharField(max_length=64, editable=False)
    # Indexed: the newest updated_at is the content version (see selectors.lesson_for_slug).
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="module_unique_number_per_course"),
            models.UniqueConstraint(fields=["course", "slug"], name="module_unique_slug_per_course"),
        ]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:module", kwargs={"course": self.course.slug, "slug": self.slug})


class ActivityQuerySet(models.QuerySet["Activity"]):
    def shown(self) -> "ActivityQuerySet":
        return self.filter(is_active=True).order_by("position")


class Activity(models.Model):
    """One part of a module: lesson text, takeaways, a reflection prompt, or a kind a later app adds.

    ``key`` is stable across rewording and reordering, so learners' records (kept
    by the app that owns the ``kind``, keyed by activity) stay attached. An
    activity an author removes is hidden (``is_active``), never deleted.
    """

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="activities", verbose_name=_("module"))
    key = models.SlugField(_("id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text (Markdown)"), blank=True)
    text_html = models.TextField(editable=False, blank=True)
    items = models.JSONField(_("items (Markdown)"), default=list, blank=True)
    is_active = models.BooleanField(_("shown in the module"), default=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="activity_unique_key_per_module")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.module.number}/{self.key}"

    def get_absolute_url(self) -> str:
        return f"{self.module.get_absolute_url()}#{self.key}"
