from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Activity

SCENARIO = "scenario"  # the activity kind this app keeps records for (courses.formats.twee makes them)


class RunQuerySet(models.QuerySet["Run"]):
    def of_learner(self, learner) -> "RunQuerySet":
        return self.filter(learner=learner).select_related("activity__module__course")

    def in_course_order(self) -> "RunQuerySet":
        return self.order_by(
            "activity__module__course__position", "activity__module__course__title",
            "activity__module__number", "activity__position", "started_at", "pk",
        )  # fmt: skip


class Run(models.Model):
    """One play-through of a scenario by a learner. Private to the learner.

    ``steps`` is the path so far, one entry per passage seen: its name, the HTML
    shown (a copy, so past runs read the same after the scenario changes) and the
    choice that left it. The last step is where the learner is; a run whose last
    passage is an ending has ``ended_at`` and ``ending``.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_runs", verbose_name=_("learner")
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+", verbose_name=_("scenario"))
    steps = models.JSONField(_("path"), default=list)
    started_at = models.DateTimeField(_("started"))
    updated_at = models.DateTimeField(_("updated"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ending = models.CharField(_("ending"), max_length=200, blank=True)
    best = models.BooleanField(_("model ending"), default=False)
    # Set while the learner shares this run with the coaches of their cohorts; None: private.
    shared_at = models.DateTimeField(_("shared with coaches"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["learner", "activity", "-started_at"], name="run_latest")]
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")

    def __str__(self) -> str:
        return f"{self.learner} · {self.activity} · {len(self.steps)} steps"

    @property
    def current(self) -> dict:
        return self.steps[-1]

    @property
    def choices_made(self) -> int:
        return len(self.steps) - 1
