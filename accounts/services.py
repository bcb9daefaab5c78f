from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts.models import Session, User

from .learners import learner_data_parts


def user_create(*, email: str, password: str, display_name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, display_name=display_name)


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


def sign_in_failures_forget(*, email: str) -> None:
    """After a password reset the account's guessing counters start again."""
    AccessAttempt.objects.filter(username__iexact=email).delete()


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
