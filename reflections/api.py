"""The JSON save API used by automatic saving. Replies are JSON, never redirects; errors
Django answers itself are made JSON by ``reflections.middleware``."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses.models import Activity

from .boxes import saved_label
from .limits import storage_full_message, too_many_saves_message
from .models import Reflection
from .payloads import PayloadError, json_body, save_payload
from .planners import answered_activity
from .selectors import reflection_for
from .services import ReflectionConflict, StorageCeilingReached, reflection_save, reflection_saves_limited

RETRY_AFTER_LIMIT = 60  # seconds: the rate limit's window


def _state(reflection: Reflection | None) -> dict:
    if reflection is None:
        return {"text": "", "revision": 0, "saved_at": None, "saved_label": ""}
    return {
        "text": reflection.text,
        "revision": reflection.revision,
        "saved_at": reflection.updated_at.isoformat(),
        "saved_label": saved_label(reflection.updated_at),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def reflection_api(request: HttpRequest, activity_id: int, field: str = "") -> JsonResponse:
    """A reflection prompt's answer, or with ``field`` a planner field's: read it, or save it."""
    if not request.user.is_authenticated:
        message = _("You are signed out. Sign in to save; your text is kept on this device.")
        return JsonResponse({"error": "signed_out", "message": message, "login_url": reverse("login")}, status=401)
    activity = answered_activity(activity_id=activity_id, field=field)
    if request.method == "GET":
        reflection = reflection_for(viewer=request.user, learner=request.user, activity=activity, field=field)
        return JsonResponse(_state(reflection))
    if reflection_saves_limited(learner=request.user):
        response = JsonResponse({"error": "too_many_saves", "message": too_many_saves_message()}, status=429)
        response["Retry-After"] = str(RETRY_AFTER_LIMIT)
        return response
    return _save(request, activity, field)


def _save(request: HttpRequest, activity: Activity, field: str) -> JsonResponse:
    try:
        payload = save_payload(json_body(request))
    except PayloadError as error:
        return JsonResponse({"error": error.code, "message": error.message}, status=error.status)
    if payload.learner_id is not None and payload.learner_id != request.user.pk:
        # The page was written by someone else who used this browser before; never mix their words in.
        message = _("This browser is now signed in as someone else. Sign in as yourself to save; your text stays here.")
        return JsonResponse({"error": "other_learner", "message": message, "login_url": reverse("login")}, status=403)
    try:
        result = reflection_save(
            learner=request.user,
            activity=activity,
            field=field,
            text=payload.text,
            base_revision=payload.base_revision,
            save_id=payload.save_id,
            after_save_id=payload.after_save_id,
        )
    except ReflectionConflict as conflict:
        return JsonResponse({"error": "conflict", **_state(conflict.current)}, status=409)
    except StorageCeilingReached:
        return JsonResponse({"error": "storage_full", "message": storage_full_message()}, status=413)
    state = _state(result.reflection)
    reply = {key: state[key] for key in ("revision", "saved_at", "saved_label")}
    return JsonResponse({**reply, "repeated": result.repeated})
