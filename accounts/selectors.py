"""Everything the platform holds about one learner, for "Download my data".

Each app's part comes from the learner-data registry (``accounts.learners``);
the account's own records (profile, sign-ins) are added here. A fixed number of
queries however much the learner has written.
"""

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from accounts.models import RequestCount, User

from .learners import learner_data_parts

EXPORT_FORMAT = 2


def learner_data(*, learner: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "profile": {
            "email": learner.email,
            "name": learner.display_name,
            "date_joined": learner.date_joined,
            "last_login": learner.last_login,
            "measure_reading_time": learner.measure_reading_time,
            "shares_text_in_records": learner.shares_text_in_records,
        },
    }
    data.update({part.name: part.export(learner=learner) for part in learner_data_parts()})
    data["sign_ins"] = list(
        AccessLog.objects.filter(username__iexact=learner.email)
        .order_by("attempt_time")
        .values("attempt_time", "logout_time", "ip_address", "user_agent")
    )
    data["failed_sign_ins"] = list(
        AccessAttempt.objects.filter(username__iexact=learner.email)
        .order_by("attempt_time")
        .values("attempt_time", "failures_since_start", "ip_address", "user_agent")
    )
    return data


def sign_in_reset_done(*, email: str, address: str) -> bool:
    """Whether the account's password was reset from ``address`` within the sign-in pause
    (recorded by ``services.sign_in_failures_forget``)."""
    key = RequestCount.sign_in_reset_key(email=email, address=address)
    return RequestCount.objects.filter(key=key, expires_at__gt=timezone.now()).exists()
