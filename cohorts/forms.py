from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.models import Course


class FacilitatorsField(forms.CharField):
    """Email addresses of existing accounts, one per line or separated by commas."""

    def clean(self, value):
        text = super().clean(value) or ""
        emails = [part.strip().lower() for part in text.replace(",", "\n").splitlines() if part.strip()]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if missing := [email for email in emails if email not in users]:
            raise forms.ValidationError(
                _("No account uses %(emails)s. Ask them to sign up first, then add them.")
                % {"emails": ", ".join(missing)}
            )
        return [users[email] for email in emails]


class InviteOptions(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), required=False, min_value=1, max_value=365,
        help_text=_("Leave empty for a link that does not expire."),
    )  # fmt: skip
    seats = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, max_value=100_000,
        help_text=_("How many learners may join through this link; empty for no limit."),
    )  # fmt: skip

    def expires_at(self):
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=days) if days else None


class CohortForm(InviteOptions):
    name = forms.CharField(label=_("Name"), max_length=120)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all(), empty_label=None)
    facilitators = FacilitatorsField(
        label=_("Facilitators' email addresses"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Each needs an account; you can add more later."),
    )  # fmt: skip

    field_order = ["name", "course", "facilitators", "expires_in_days", "seats"]


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("Your feedback"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
