from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self) -> None:
        from accounts.learners import LearnerData, register
        from courses.activities import ActivityKind
        from courses.activities import register as register_kind

        from . import boxes, exports, selectors, services
        from .models import PLANNER, REFLECTION

        register_kind(
            ActivityKind(
                name=REFLECTION,
                template="reflections/activity.html",
                load_states=boxes.writing_states,
                load_done=selectors.reflections_done,
            )
        )
        register_kind(
            ActivityKind(
                name=PLANNER,
                template="reflections/planner_card.html",
                load_states=boxes.writing_states,
                load_done=selectors.planners_done,
            )
        )
        register(LearnerData(name="reflections", export=exports.reflections_export, delete=services.reflections_delete))
