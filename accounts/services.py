from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import RequestCount, Session, User

from .learners import learner_data_parts


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


def request_count_add(*, key: str, seconds: int) -> int:
    """Count one more for ``key`` in its window of ``seconds`` and return the count.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so requests
    served at once by several processes never read the same count: each gets its
    own number. A window that has passed starts again at one. Expired rows of
    other keys are removed on the way.
    """
    now = timezone.now()
    RequestCount.objects.filter(expires_at__lte=now).delete()
    table, key_column, count, expires_at = (
        connection.ops.quote_name(name) for name in (RequestCount._meta.db_table, "key", "count", "expires_at")
    )
    sql = (
        f"INSERT INTO {table} ({key_column}, {count}, {expires_at}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key_column}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires_at} > %s THEN {table}.{count} + 1 ELSE 1 END, "
        f"{expires_at} = CASE WHEN {table}.{expires_at} > %s THEN {table}.{expires_at} ELSE excluded.{expires_at} END "
        f"RETURNING {count}"
    )
    as_stored = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, as_stored(now + timedelta(seconds=seconds)), as_stored(now), as_stored(now)])
        return cursor.fetchone()[0]
