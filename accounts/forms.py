from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class NoColonLabels:
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def password_length_bounds() -> tuple[int | None, int | None]:
    """The shortest and longest password the configured validators accept."""
    shortest = longest = None
    for validator in password_validation.get_default_password_validators():
        shortest = getattr(validator, "min_length", shortest)
        longest = getattr(validator, "max_length", longest)
    return shortest, longest


def password_rule() -> str:
    """The password rules in one line (the validators' own help texts are five sentences)."""
    shortest, longest = password_length_bounds()
    return _("%(min)d to %(max)d characters, not a common password, not all digits, not like your email.") % {
        "min": shortest,
        "max": longest,
    }


class ProductPasswordFields(NoColonLabels):
    """A new password and its confirmation in the product's words: one line of rules, the length
    checked by the browser before sending, and a refused password reported at the field it was
    typed in (Django reports it under the confirmation)."""

    password_fields = ("password1", "password2")
    password_labels = (_("Password"), _("Confirm your password"))
    error_messages = {"password_mismatch": _("The two passwords are not the same.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        shortest, longest = password_length_bounds()
        first, second = (self.fields[name] for name in self.password_fields)
        first.label, second.label = self.password_labels
        first.help_text, second.help_text = password_rule(), ""
        first.widget.attrs.update({k: v for k, v in (("minlength", shortest), ("maxlength", longest)) if v})

    def validate_password_for_user(self, user, password_field_name: str = "password2") -> None:
        super().validate_password_for_user(user, self.password_fields[0])


class SignUpForm(ProductPasswordFields, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]
        labels = {"display_name": _("Your name (optional)")}

    error_messages = {
        **BaseUserCreationForm.error_messages,
        **ProductPasswordFields.error_messages,
        "email_taken": _("An account with this email already exists. Sign in instead."),
    }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.error_messages["email_taken"], code="email_taken")
        return email

    def email_taken(self) -> None:
        """Show the error ``clean_email`` shows, for an email taken after the form was checked."""
        self.add_error("email", forms.ValidationError(self.error_messages["email_taken"], code="email_taken"))


class SignInForm(NoColonLabels, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


def password_is_users(request: HttpRequest, password: str) -> bool:
    """Check the signed-in user's password through ``authenticate``, so that guesses
    made with a stolen session are counted and throttled like guesses at sign-in."""
    return authenticate(request, username=request.user.email, password=password) == request.user


class AccountDeleteForm(NoColonLabels, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_is_users(self.request, password):
            raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
        return password


class NewPasswordForm(ProductPasswordFields, SetPasswordForm):
    """Choosing a new password from a reset link."""

    password_fields = ("new_password1", "new_password2")
    password_labels = (_("New password"), _("Confirm your new password"))
    error_messages = {**SetPasswordForm.error_messages, **ProductPasswordFields.error_messages}


class ThrottledPasswordChangeForm(ProductPasswordFields, PasswordChangeForm):
    password_fields = NewPasswordForm.password_fields
    password_labels = NewPasswordForm.password_labels
    error_messages = {
        **PasswordChangeForm.error_messages,
        **ProductPasswordFields.error_messages,
        "password_incorrect": _("That is not your current password."),
    }

    def __init__(self, user, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["old_password"].label = _("Current password")

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_is_users(self.request, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class RecordsSharingForm(forms.Form):
    shares_text = forms.BooleanField(
        required=False,
        label=_("Include the text of my reflections"),
        help_text=_("Unticked, the record says only that you wrote a reflection, and how many words."),
    )
