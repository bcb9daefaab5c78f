from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ModuleQuerySet(models.QuerySet["Module"]):
    def outline(self) -> "ModuleQuerySet":
        """The course in order, with only what a table of contents shows."""
        return self.order_by("number").only("number", "slug", "title", "subtitle", "minutes", "outcome_html")

    def for_lesson(self) -> "ModuleQuerySet":
        active_prompts = models.Prefetch("prompts", queryset=Prompt.objects.filter(is_active=True))
        return self.prefetch_related(active_prompts)


class Module(models.Model):
    """One lesson of the course, as imported from a module file.

    The Markdown fields are the source; the ``*_html`` fields are rendered and
    sanitised once at import, so showing a lesson never runs the Markdown parser.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    quote = models.TextField(_("pull quote"), blank=True)
    body = models.TextField(_("lesson text (Markdown)"))
    body_html = models.TextField(editable=False)
    takeaways = models.JSONField(_("takeaways (Markdown)"), default=list)
    takeaways_html = models.JSONField(default=list, editable=False)
    outcome = models.TextField(_("outcome (Markdown)"))
    outcome_html = models.TextField(editable=False)
    minutes_declared = models.PositiveSmallIntegerField(_("declared minutes"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    content_hash = models.CharField(max_length=64, editable=False)
    # Indexed: the newest updated_at is the course's content version (see selectors.lesson_for_slug).
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:module", kwargs={"slug": self.slug})


class Prompt(models.Model):
    """A reflection prompt. ``key`` is stable across rewordings, so learners' text stays attached."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("module"))
    key = models.SlugField(_("id"), max_length=64)
    text = models.TextField(_("prompt (Markdown)"))
    text_html = models.TextField(editable=False)
    is_active = models.BooleanField(_("shown in the module"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="prompt_unique_key_per_module")]
        verbose_name = _("reflection prompt")
        verbose_name_plural = _("reflection prompts")

    def __str__(self) -> str:
        return f"{self.module.number}/{self.key}"

    def get_absolute_url(self) -> str:
        return self.module.get_absolute_url() + "#reflection"
