from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """The course in the formats other learning systems read (SCORM packages), and learning events
    sent to a Learning Record Store as xAPI statements."""

    name = "interchange"
    verbose_name = _("Interchange with learning systems")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.events import register_listener

        from . import selectors, services, tasks

        register_listener(tasks.event_recorded)
        register(LearnerData(name="learning_records", export=selectors.records_export, delete=services.records_delete))
