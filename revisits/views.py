from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from reflections.selectors import reflections_for

from .digests import learner_of_token
from .recall import RATINGS, recall_card_for, recall_cards_sync, recall_due, recall_rate
from .selectors import due_revisits, subscription_of
from .services import digest_subscribe, revisit_answer, revisit_dismiss, revisit_snooze

MAX_FOLLOW_UP = 20_000


@login_required
@require_POST
def revisit(request: HttpRequest, reflection_id: int, stage: int) -> HttpResponse:
    """Answer, snooze or dismiss a due revisit of one of the learner's own reflections."""
    reflection = reflections_for(viewer=request.user, learner=request.user).filter(pk=reflection_id).first()
    if reflection is None:
        raise Http404
    due = next(
        (r for r in due_revisits(viewer=request.user, learner=request.user) if r.reflection.pk == reflection.pk), None
    )
    if due is None or due.stage != stage:
        messages.info(request, _("That revisit is no longer waiting for you."))
        return redirect(reflection.activity.module.course.get_absolute_url())
    action = request.POST.get("action")
    if action == "answer":
        text = request.POST.get("text", "").replace("\r\n", "\n").strip()
        if not text or len(text) > MAX_FOLLOW_UP:
            messages.error(request, _("Write your answer first (up to 20,000 characters), or snooze it for later."))
            return redirect(reflection.activity.module.course.get_absolute_url() + "#revisits")
        revisit_answer(learner=request.user, reflection=reflection, stage=stage, question=due.question, text=text)
        messages.success(request, _("Kept under your reflection, dated today. It is in your journal."))
    elif action == "snooze":
        revisit_snooze(learner=request.user, reflection=reflection, stage=stage)
        messages.success(request, _("We will ask again in three days."))
    elif action == "dismiss":
        revisit_dismiss(learner=request.user, reflection=reflection, stage=stage)
        messages.success(request, _("Dismissed. The next one comes at its time."))
    else:
        return HttpResponseBadRequest(_("Choose to answer, snooze or dismiss."))
    return redirect(reflection.activity.module.course.get_absolute_url())


@never_cache
@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        active = request.POST.get("digest") == "on"
        digest_subscribe(learner=request.user, active=active)
        if active:
            messages.success(request, _("You will get the weekly digest. Every email has a link to stop it."))
        else:
            messages.success(request, _("No more weekly digests."))
        return redirect("revisits:settings")
    subscription = subscription_of(learner=request.user)
    return render(request, "revisits/settings.html", {"active": bool(subscription and subscription.active)})


@never_cache
@csrf_exempt  # the signed token is the authority; mail clients post one-click unsubscribes without a form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Works without signing in: GET asks, POST (the page's button, or a mail client's one click) stops it."""
    learner = learner_of_token(token)
    if learner is None:
        raise Http404
    if request.method == "POST":
        digest_subscribe(learner=learner, active=False)
        return render(request, "revisits/unsubscribed.html", {"email": learner.email})
    return render(request, "revisits/unsubscribe.html", {"email": learner.email})


@never_cache
@login_required
def recall(request: HttpRequest) -> HttpResponse:
    """The next takeaway due for recall: first the learner writes it from memory."""
    recall_cards_sync(learner=request.user)
    card = recall_due(learner=request.user).first()
    return render(request, "revisits/recall.html", {"card": card})


@never_cache
@login_required
@require_POST
def recall_reveal(request: HttpRequest, card_id: int) -> HttpResponse:
    """Their words beside the takeaway; they rate how close they were (their words are not kept)."""
    card = recall_card_for(learner=request.user, card_id=card_id)
    if card is None:
        raise Http404
    attempt = request.POST.get("attempt", "")[:5000]
    return render(request, "revisits/recall_reveal.html", {"card": card, "attempt": attempt})


@login_required
@require_POST
def recall_rated(request: HttpRequest, card_id: int) -> HttpResponse:
    card = recall_card_for(learner=request.user, card_id=card_id)
    if card is None:
        raise Http404
    rating = request.POST.get("rating")
    if rating not in RATINGS:
        return HttpResponseBadRequest(_("Rate how close you were: again, hard, good or easy."))
    card = recall_rate(card=card, rating=rating)
    messages.success(
        request, _("Next time for this one: %(when)s.") % {"when": date_format(localtime(card.due_at), "j M Y")}
    )
    return redirect("revisits:recall")
