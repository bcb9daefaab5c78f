"""Translations for static/js/autosave.js, which is written in English.

The script calls ``t("English text")``; ``{% autosave_messages %}`` hands it a
``<script type="application/json">`` data block (never executed, so the
Content-Security-Policy allows it) mapping each English text to its translation
in the active language, and nothing at all in English. Placeholders are ``%(name)s``.
The texts below are marked with gettext_noop so makemessages finds them.
"""

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

register = template.Library()


AUTOSAVE_TEXTS = (
    _("Saving…"),
    _("Unsaved changes…"),
    _("All changes saved."),
    _("Restored text from this device that had not reached the server. Saving…"),
    _("Not saved yet — kept on this device. It will be sent when you are back online."),
    _("Not saved yet — offline, and this device's storage is full. Keep this page open; it will retry."),
    _("This device's storage is full: no copy is kept here. Stay on this page until it says saved."),
    _("Not saved — you are signed out."),
    _("Sign in to save (opens a new tab)"),
    _("Your text stays here and on this device."),
    _("Not saved — %(reason)s"),
    _("the server refused this text."),
    _(
        "Not saved — %(length)s characters is %(over)s over the limit of %(limit)s. "
        "Shorten it to save; nothing has been cut."
    ),
    _("Not saved — this reflection was changed in another tab or on another device. Choose which text to keep."),
    _("Both texts are below; nothing is lost until you choose."),
    _("The saved version"),
    _("Your text on this device"),
    _("Keep mine"),
    _("Keep the saved version"),
    _("Keep both"),
    _("Some of your writing has not reached the server yet. Signing out removes it from this device. Sign out anyway?"),
)


@register.simple_tag
def autosave_messages() -> SafeString:
    translated = {english: gettext(english) for english in AUTOSAVE_TEXTS}
    translated = {english: text for english, text in translated.items() if text != english}
    return json_script(translated, "autosave-messages") if translated else SafeString("")
