from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.learners import has_coach
from courses.models import Activity
from courses.selectors import active_activity

from .models import SCENARIO, Run
from .review import path_review
from .scenarios import Scenario
from .selectors import latest_run, learner_run, run_for
from .services import RunOutdated, run_choose, run_share, run_start


def _page_url(activity: Activity) -> str:
    return reverse("practice:scenario", args=[activity.pk]) + "#now"


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isascii() and value.isdigit() and len(value) < 10 else None


@never_cache
@login_required
def scenario_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = active_activity(activity_id=activity_id, kind=SCENARIO)
    run = latest_run(viewer=request.user, learner=request.user, activity=activity)
    return _render(request, activity, run)


def _render(
    request: HttpRequest, activity: Activity, run: Run | None, *, status: int = 200, error: str = ""
) -> HttpResponse:
    scenario = Scenario(activity)
    outdated = run is not None and run.ended_at is None and not scenario.has(run.current["passage"])
    context = {
        "activity": activity,
        "module": activity.module,
        "course": activity.module.course,
        "scenario": scenario,
        "run": run,
        "outdated": outdated,
        "choices": scenario.choices(run.current["passage"]) if run and not run.ended_at and not outdated else [],
        "review": path_review(run, scenario) if run and run.ended_at else None,
        "error": error,
        "can_share": bool(run and run.ended_at)
        and has_coach(learner=request.user, course_id=activity.module.course_id),
    }
    return render(request, "practice/scenario.html", context, status=status)


@login_required
@require_POST
def scenario_start(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = active_activity(activity_id=activity_id, kind=SCENARIO)
    after = _number(request.POST.get("after", ""))
    run_start(learner=request.user, activity=activity, after=after)
    return redirect(_page_url(activity))


@login_required
@require_POST
def scenario_choose(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = active_activity(activity_id=activity_id, kind=SCENARIO)
    run_id, at, choice = (_number(request.POST.get(name)) for name in ("run", "at", "choice"))
    if run_id is None or at is None or choice is None:
        return HttpResponseBadRequest(_("Choose one of the answers offered."))
    run = run_for(viewer=request.user, learner=request.user, activity=activity, run_id=run_id)
    try:
        run_choose(run=run, at=at, choice=choice)
    except IndexError:
        return _render(request, activity, run, status=400, error=_("That answer is not one of the choices here."))
    except RunOutdated:
        return redirect(_page_url(activity))
    return redirect(_page_url(activity))


@never_cache
@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run read back (from the journal): its path and how it compares with the model path.
    It stays readable when the scenario changes or is taken out of its module."""
    run = learner_run(viewer=request.user, learner=request.user, run_id=run_id)
    scenario = Scenario(run.activity)
    context = {
        "can_share": has_coach(learner=request.user, course_id=run.activity.module.course_id),
        "activity": run.activity,
        "module": run.activity.module,
        "course": run.activity.module.course,
        "scenario": scenario,
        "run": run,
        "review": path_review(run, scenario),
    }
    return render(request, "practice/run.html", context)


@login_required
@require_POST
def run_share_toggle(request: HttpRequest, run_id: int) -> HttpResponse:
    """Share a run with the learner's coaches, or make it private again (only its learner can)."""
    run = learner_run(viewer=request.user, learner=request.user, run_id=run_id)
    shared = request.POST.get("share") == "1"
    run_share(run=run, shared=shared)
    if shared:
        messages.success(request, _("Shared with your coach. You can make it private again at any time."))
    else:
        messages.success(request, _("Private again: your coach no longer sees it."))
    return redirect("practice:run", run.pk)
