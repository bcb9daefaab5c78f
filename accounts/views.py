from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import AccountDeleteForm, NewPasswordForm, RecordsSharingForm, SignUpForm, ThrottledPasswordChangeForm
from .learners import inert_json
from .models import User
from .ratelimits import rate_limited
from .selectors import learner_data
from .services import (
    EmailTaken,
    reading_time_measure,
    sign_in_failures_forget,
    user_create,
    user_delete,
    user_records_sharing_set,
    user_sessions_end,
)
from .throttling import client_address


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("courses:home")
    # Sign-up says when an email is taken; the limit keeps that from being asked in bulk.
    if request.method == "POST" and rate_limited(scope="signup", key=client_address(request), **_rate("SIGNUP")):
        return render(request, "accounts/too_many_requests.html", status=429)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (user := _user_create_from(form)):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request) or "courses:home")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


def _user_create_from(form: SignUpForm) -> User | None:
    """The new account, or None and the form's error if the email was taken since the form was checked
    (a simultaneous sign-up: a double-click, or two tabs)."""
    try:
        return user_create(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
    except EmailTaken:
        form.email_taken()
        return None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    # The learning-records choice is offered only where records are sent (an LRS is configured).
    sharing = RecordsSharingForm(initial={"shares_text": request.user.shares_text_in_records})
    return render(request, "accounts/account.html", {"sharing": sharing if settings.XAPI_ENDPOINT else None})


@login_required
@require_POST
def records_sharing(request: HttpRequest) -> HttpResponse:
    form = RecordsSharingForm(request.POST)
    form.is_valid()  # one optional checkbox: any post is valid, an unchecked box is False
    user_records_sharing_set(user=request.user, shares_text=form.cleaned_data["shares_text"])
    messages.success(request, _("Your choice for learning records is saved."))
    return redirect("account")


@login_required
@require_POST
def reading_time(request: HttpRequest) -> HttpResponse:
    """Turn reading-time measurement on ("on") or off (anything else: a box left unticked sends nothing)."""
    measure = request.POST.get("measure") == "on"
    reading_time_measure(learner=request.user, measure=measure)
    if measure:
        messages.success(request, _("Your reading time is counted again."))
    else:
        messages.success(request, _("Your reading time is no longer counted."))
    return redirect(reverse("account") + "#reading-time")


@never_cache
@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """Everything held about the learner, as a JSON file."""
    payload = inert_json(learner_data(learner=request.user))
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"sales-blueprint-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("courses:home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in
        user_sessions_end(user=form.user, except_session_key=self.request.session.session_key)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address; too many requests from one address or
    for one email are refused (for known and unknown emails alike). The email is the
    product's own, in text and HTML."""

    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"

    @property
    def extra_email_context(self) -> dict[str, int]:
        return {"link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        over_address = rate_limited(
            scope="reset-address", key=client_address(self.request), **_rate("PASSWORD_RESET_PER_ADDRESS")
        )
        over_email = rate_limited(scope="reset-email", key=email, **_rate("PASSWORD_RESET_PER_EMAIL"))
        if over_address or over_email:
            return render(self.request, "accounts/too_many_requests.html", {"reset": True}, status=429)
        return super().form_valid(form)


def _rate(name: str) -> dict[str, int]:
    limit, seconds = getattr(settings, f"ACCOUNTS_RATE_{name}")
    return {"limit": limit, "seconds": seconds}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sessions_end(user=form.user)
        sign_in_failures_forget(email=form.user.email, address=client_address(self.request))
        return response


# The course owner removes an account on request (the same deletion as the learner's own).


@never_cache
@staff_member_required
def learners_console(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    learners = User.objects.filter(is_staff=False).order_by("-date_joined")
    if query:
        learners = learners.filter(email__icontains=query)
    return render(request, "accounts/learners_console.html", {"learners": learners[:50], "query": query})


@never_cache
@staff_member_required
def learner_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    """Delete a learner's account and everything held about them, after the owner types their email."""
    learner = get_object_or_404(User, pk=user_id, is_staff=False)
    error = ""
    if request.method == "POST":
        if request.POST.get("email", "").strip().lower() == learner.email:
            email = learner.email
            user_delete(user=learner)
            messages.success(
                request, _("The account of %(email)s and everything in it have been deleted.") % {"email": email}
            )
            return redirect("learners_console")
        error = _("Type the learner's email address exactly to confirm.")
    status = 400 if error else 200
    return render(request, "accounts/learner_remove.html", {"learner": learner, "error": error}, status=status)
