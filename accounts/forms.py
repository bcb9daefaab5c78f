from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists. Sign in instead."))
        return email


class SignInForm(NoColonLabels, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class AccountDeleteForm(NoColonLabels, forms.Form):
    """Asks for the password again. It is checked through ``authenticate`` so that
    guesses here are counted and throttled like guesses at sign-in."""

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
        user = self.request.user
        if authenticate(self.request, username=user.email, password=password) != user:
            raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
        return password
