from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.selectors import courses_listed
from practice.selectors import shared_runs_of
from reflections.selectors import shared_reflection_for, shared_reflections_of
from reflections.services import feedback_add

from .charts import completion_chart
from .csv_export import dashboard_csv
from .forms import CohortForm, FacilitatorsField, FeedbackForm, InviteOptions
from .models import Cohort, Invite, Role
from .selectors import (
    cohort_for_facilitator,
    cohorts_facilitated,
    course_wide,
    dashboard_for,
    invite_for,
    member_of,
    module_times,
)
from .services import InviteUnusable, cohort_create, cohort_join, facilitator_add, invite_create, invite_revoke
from .tables import learner_rows


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The cohorts the signed-in user facilitates (none for a learner)."""
    return render(request, "cohorts/mine.html", {"cohorts": cohorts_facilitated(viewer=request.user)})


@never_cache
@login_required
def dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_for_facilitator(viewer=request.user, cohort_id=cohort_id)
    board = dashboard_for(viewer=request.user, cohort=cohort)
    rows = learner_rows(board, cohort)
    context = {"board": board, "cohort": cohort, "chart": completion_chart(board.timeline), "learner_rows": rows}
    return render(request, "cohorts/dashboard.html", context)


@never_cache
@login_required
def dashboard_download(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_for_facilitator(viewer=request.user, cohort_id=cohort_id)
    response = HttpResponse(dashboard_csv(dashboard_for(viewer=request.user, cohort=cohort)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-progress.csv"'
    return response


@never_cache
@login_required
def learner_detail(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    """What one learner of the cohort shares, with the feedback on it."""
    cohort = cohort_for_facilitator(viewer=request.user, cohort_id=cohort_id)
    learner = member_of(cohort=cohort, user_id=user_id)
    shared = shared_reflections_of(viewer=request.user, learner=learner, course_id=cohort.course_id)
    runs = shared_runs_of(viewer=request.user, learner=learner, course_id=cohort.course_id)
    context = {"cohort": cohort, "learner": learner, "shared": shared, "runs": runs, "form": FeedbackForm()}
    return render(request, "cohorts/learner.html", context)


@login_required
@require_POST
def feedback(request: HttpRequest, cohort_id: int, reflection_id: int) -> HttpResponse:
    cohort = cohort_for_facilitator(viewer=request.user, cohort_id=cohort_id)
    reflection = shared_reflection_for(viewer=request.user, reflection_id=reflection_id)
    member_of(cohort=cohort, user_id=reflection.learner_id)  # a learner of this cohort, not only of another
    form = FeedbackForm(request.POST)
    back = reverse("cohorts:learner", args=[cohort.pk, reflection.learner_id])
    if not form.is_valid():
        messages.error(request, _("Write some feedback first (at most 5,000 characters)."))
        return redirect(back)
    feedback_add(author=request.user, reflection=reflection, text=form.cleaned_data["text"])
    url = request.build_absolute_uri(reflection.activity.get_absolute_url())
    name = request.user.display_name or request.user.email
    send_mail(
        _("%(name)s left you feedback") % {"name": name},
        _("%(name)s read what you shared and left you feedback. Read it beside your text:\n\n%(url)s\n")
        % {"name": name, "url": url},
        None,
        [reflection.learner.email],
    )
    messages.success(request, _("Your feedback is saved; the learner has been told by email."))
    return redirect(back)


@never_cache
@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    invite = invite_for(token=token)
    if request.method == "POST":
        try:
            membership = cohort_join(user=request.user, token=token)
        except InviteUnusable as error:
            return render(request, "cohorts/join.html", {"invite": invite, "reason": error.reason}, status=410)
        messages.success(request, _("You joined %(cohort)s.") % {"cohort": membership.cohort.name})
        return redirect(invite.cohort.course.get_absolute_url())
    reason = invite.unusable_because()
    return render(request, "cohorts/join.html", {"invite": invite, "reason": reason}, status=410 if reason else 200)


# The course owner's console (staff).


@never_cache
@staff_member_required
def console(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.select_related("course").prefetch_related("memberships__user", "invites")
    courses = courses_listed()
    context = {"cohorts": cohorts, "courses": course_wide(courses=courses)}
    context["module_times"] = module_times(viewer=request.user, courses=courses)
    return render(request, "cohorts/console.html", context)


@never_cache
@staff_member_required
def cohort_new(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort, _invite = cohort_create(
            name=data["name"], course=data["course"], facilitators=data["facilitators"], created_by=request.user,
            expires_at=form.expires_at(), seats=data.get("seats"),
        )  # fmt: skip
        return redirect("cohorts:manage", cohort.pk)
    return render(request, "cohorts/cohort_form.html", {"form": form})


@never_cache
@staff_member_required
def manage(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    members = cohort.memberships.select_related("user").order_by("role", "user__email")
    context = {
        "cohort": cohort,
        "invites": cohort.invites.all(),
        "facilitators": [m.user for m in members if m.role == Role.FACILITATOR],
        "learners": [m for m in members if m.role == Role.LEARNER],
        "invite_form": InviteOptions(),
    }
    return render(request, "cohorts/manage.html", context)


@staff_member_required
@require_POST
def invite_new(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    form = InviteOptions(request.POST)
    if form.is_valid():
        invite_create(cohort=cohort, expires_at=form.expires_at(), seats=form.cleaned_data.get("seats"))
        messages.success(request, _("A new invite link is ready."))
    else:
        messages.error(request, _("Expiry is 1 to 365 days and seats at least 1, or leave them empty."))
    return redirect("cohorts:manage", cohort.pk)


@staff_member_required
@require_POST
def invite_withdraw(request: HttpRequest, cohort_id: int, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(Invite, pk=invite_id, cohort_id=cohort_id)
    invite_revoke(invite=invite)
    messages.success(request, _("The invite link is withdrawn: nobody can join through it any more."))
    return redirect("cohorts:manage", cohort_id)


@staff_member_required
@require_POST
def facilitators_add(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    try:
        users = FacilitatorsField().clean(request.POST.get("emails", ""))
    except ValidationError as error:  # its message says which address
        messages.error(request, " ".join(error.messages))
    else:
        for user in users:
            facilitator_add(cohort=cohort, user=user)
        messages.success(request, _("Facilitators added."))
    return redirect("cohorts:manage", cohort.pk)
