from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")

    @property
    def action(self) -> str:
        """What the learner does next with a module in this state, as a course page offers it."""
        return {Status.DONE: _("Review"), Status.IN_PROGRESS: _("Continue")}.get(self, _("Start"))


class ModuleProgress(models.Model):
    """Where one learner is in one module. No row means not started."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress", verbose_name=_("learner")
    )
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="+", verbose_name=_("module"))
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last opened"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Active reading time, counted by the module page while the tab is visible and the learner active.
    reading_seconds = models.PositiveIntegerField(_("reading time (seconds)"), default=0)
    # Where they were: the id of the section (or activity) they were reading, and of the box they were writing in.
    resume_section = models.CharField(_("reading at"), max_length=200, blank=True)
    resume_box = models.CharField(_("writing in"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "module"], name="progress_one_row_per_module")]
        indexes = [models.Index(fields=["learner", "-last_seen_at"], name="progress_recent")]
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")

    def __str__(self) -> str:
        return f"{self.learner} · {self.module_id} · {self.status}"

    @property
    def status(self) -> Status:
        return Status.DONE if self.completed_at else Status.IN_PROGRESS
