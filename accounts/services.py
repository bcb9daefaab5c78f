from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import IntegrityError, transaction

from accounts.models import RequestCount, Session, User

from .learners import learner_data_parts
from .ratelimits import request_count_add


def reading_time_measure(*, learner: User, measure: bool) -> None:
    """Turn the counting of the learner's reading time on or off (the module page reads it)."""
    User.objects.filter(pk=learner.pk).update(measure_reading_time=measure)
    learner.measure_reading_time = measure


class EmailTaken(Exception):
    """An account with this email already exists (in any letter case)."""


def user_create(*, email: str, password: str, display_name: str = "") -> User:
    """Create an account, or raise ``EmailTaken`` if the email has one in any case.

    The database decides (a unique index on the lowercased email), so of several
    simultaneous sign-ups for one email exactly one succeeds and the others get
    ``EmailTaken``; a check before the insert could not see a row not yet committed.
    """
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, display_name=display_name)
    except IntegrityError as error:
        if User.objects.filter(email__iexact=email.strip()).exists():
            raise EmailTaken(email) from error
        raise


def user_records_sharing_set(*, user: User, shares_text: bool) -> None:
    """Whether the learner's reflection text goes with the learning records the platform sends (xAPI)."""
    user.shares_text_in_records = shares_text
    User.objects.filter(pk=user.pk).update(shares_text_in_records=shares_text)


def user_sessions_end(*, user: User, except_session_key: str | None = None) -> int:
    """Sign the user out everywhere, or everywhere but the session they are using.

    Django already refuses a session whose password hash is stale; deleting the
    rows makes sure nothing of them is left to be replayed.
    """
    sessions = Session.objects.filter(user=user)
    if except_session_key:
        sessions = sessions.exclude(session_key=except_session_key)
    count, _ = sessions.delete()
    return count


def sign_in_failures_forget(*, email: str, address: str) -> None:
    """After a password reset the account's guessing counters start again, and the
    account may sign in from ``address`` (where the reset was completed) for the
    length of a sign-in pause even if that address is paused for guessing at other
    accounts (see ``accounts.throttling``)."""
    AccessAttempt.objects.filter(username__iexact=email).delete()
    key = RequestCount.sign_in_reset_key(email=email, address=address)
    request_count_add(key=key, seconds=int(get_cool_off().total_seconds()))


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything held about it, irreversibly.

    Each app deletes its own part (the learner-data registry); sessions go with
    the user (their foreign key cascades); the sign-in records django-axes keeps
    by email (addresses, browsers, failures) are deleted here.
    """
    for part in learner_data_parts():
        part.delete(learner=user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    user.delete()
