"""Everything the platform holds about one learner, for "Download my data".

Built from each app's own learner-scoped lookups, in a fixed number of queries
however much the learner has written.
"""

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import RequestCount, User
from progress.models import ModuleProgress
from reflections.models import Reflection, ReflectionVersion
from reflections.selectors import reflections_of_learner

EXPORT_FORMAT = 1


def learner_data(*, learner: User) -> dict[str, Any]:
    versions = Prefetch("versions", queryset=ReflectionVersion.objects.order_by("started_at", "pk"))
    reflections = reflections_of_learner(learner=learner).prefetch_related(versions)
    progress = (
        ModuleProgress.objects.filter(learner=learner)
        .select_related("module")
        .only("started_at", "last_seen_at", "completed_at", "module__number", "module__title")
        .order_by("module__number")
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "profile": {
            "email": learner.email,
            "name": learner.display_name,
            "date_joined": learner.date_joined,
            "last_login": learner.last_login,
        },
        "reflections": [_reflection(reflection) for reflection in reflections],
        "progress": [_progress(row) for row in progress],
        "sign_ins": list(
            AccessLog.objects.filter(username__iexact=learner.email)
            .order_by("attempt_time")
            .values("attempt_time", "logout_time", "ip_address", "user_agent")
        ),
        "failed_sign_ins": list(
            AccessAttempt.objects.filter(username__iexact=learner.email)
            .order_by("attempt_time")
            .values("attempt_time", "failures_since_start", "ip_address", "user_agent")
        ),
    }


def _reflection(reflection: Reflection) -> dict[str, Any]:
    module = reflection.prompt.module
    return {
        "module": {"number": module.number, "title": module.title},
        "prompt": {"id": reflection.prompt.key, "text": reflection.prompt.text},
        "text": reflection.text,
        "revision": reflection.revision,
        "created_at": reflection.created_at,
        "updated_at": reflection.updated_at,
        "versions": [
            {"text": v.text, "revision": v.revision, "started_at": v.started_at, "saved_at": v.saved_at}
            for v in reflection.versions.all()
        ],
    }


def _progress(row: ModuleProgress) -> dict[str, Any]:
    return {
        "module": {"number": row.module.number, "title": row.module.title},
        "status": row.status.value,
        "started_at": row.started_at,
        "last_seen_at": row.last_seen_at,
        "completed_at": row.completed_at,
    }


def sign_in_reset_done(*, email: str, address: str) -> bool:
    """Whether the account's password was reset from ``address`` within the sign-in pause
    (recorded by ``services.sign_in_failures_forget``)."""
    key = RequestCount.sign_in_reset_key(email=email, address=address)
    return RequestCount.objects.filter(key=key, expires_at__gt=timezone.now()).exists()
