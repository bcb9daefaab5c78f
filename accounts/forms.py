from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class NoColonLabels:
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignUpForm(NoColonLabels, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]
        labels = {"display_name": _("Your name (optional)")}

    error_messages = {
        **BaseUserCreationForm.error_messages,
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


class ThrottledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_is_users(self.request, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
