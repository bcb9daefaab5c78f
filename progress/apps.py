from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.tracking import Tracker, register_tracker

        from . import selectors, services

        register_tracker(
            Tracker(
                module_opened=services.module_open,
                module_status=selectors.module_status,
                course_progress=selectors.course_progress,
                module_template="progress/module_footer.html",
                course_template="progress/course_summary.html",
            )
        )
        register(LearnerData(name="progress", export=selectors.progress_export, delete=services.progress_delete))
