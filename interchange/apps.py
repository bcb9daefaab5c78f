from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """The course in the formats other learning systems read (SCORM packages)."""

    name = "interchange"
    verbose_name = _("Interchange with learning systems")
