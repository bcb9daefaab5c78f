from django import forms
from django.utils.translation import gettext_lazy as _

from .limits import REFLECTION_MAX_CHARS
from .models import Reflection
from .payloads import is_encodable


class ReflectionForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        max_length=REFLECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "max_length": _(
                "Your reflection is %(show_value)d characters long; the limit is %(limit_value)d. "
                "It has not been saved; shorten it and save again. Your last saved text is kept."
            )
        },
    )
    base_revision = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    @classmethod
    def for_reflection(cls, reflection: Reflection | None) -> "ReflectionForm":
        if reflection is None:
            return cls(initial={"text": "", "base_revision": 0})
        return cls(initial={"text": reflection.text, "base_revision": reflection.revision})

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if "\x00" in text:
            raise forms.ValidationError(_("Your reflection contains a character that cannot be stored (NUL)."))
        if not is_encodable(text):
            raise forms.ValidationError(_("Your reflection contains text that is not valid Unicode."))
        return text
