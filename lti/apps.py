from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """The platform as an LTI 1.3 tool: launches from a learning system, deep linking, and scores sent back."""

    name = "lti"
    verbose_name = _("LTI 1.3 tool")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.events import register_listener

        from . import selectors, services

        register_listener(services.learning_event_received)
        register(LearnerData(name="lti", export=selectors.identities_export, delete=services.identities_delete))
