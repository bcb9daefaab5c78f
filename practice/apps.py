from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = _("Practice")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.activities import ActivityKind
        from courses.activities import register as register_kind

        from . import selectors, services
        from .models import SCENARIO

        register_kind(
            ActivityKind(
                name=SCENARIO,
                template="practice/activity.html",
                load_states=selectors.scenario_states,
                load_done=selectors.scenarios_done,
            )
        )
        register(
            LearnerData(
                name="scenario_runs",
                export=selectors.runs_export,
                delete=services.runs_delete,
                journal=selectors.journal_section,
            )
        )
