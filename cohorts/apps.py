from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self) -> None:
        from accounts.learners import Coaching, LearnerData, register, register_coaching

        from . import selectors, services

        register_coaching(Coaching(coached_by=selectors.coached_by, has_coach=selectors.has_coach))
        register(LearnerData(name="cohorts", export=selectors.memberships_export, delete=services.memberships_delete))
