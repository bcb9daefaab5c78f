from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisitsConfig(AppConfig):
    name = "revisits"
    verbose_name = _("Revisits and reminders")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.tracking import CoursePanel, register_course_panel

        from . import selectors, services

        register_course_panel(CoursePanel(template="revisits/panel.html", load=selectors.course_panel))
        register(LearnerData(name="revisits", export=selectors.revisits_export, delete=services.revisits_delete))
