"""Throttling password guessing (django-axes, adapted); request rate limits are in ``accounts.ratelimits``.

django-axes counts failed sign-ins per account and address and per address
alone, but applies one limit to both. A learner mistyping their own password
should be paused after a few tries, while an address trying one password across
many accounts (password spraying) needs a larger allowance, since several
learners may share an office or a phone network. ``SignInThrottle`` scales the
per-address count so each has its own limit, and forgets only the signed-in
account's failures on success (axes would forget the whole address's).

A completed password reset forgets the account's failures and lets the account
sign in from the address it was reset from, even while that address is paused
for guessing across accounts: the pause page offers the reset as the way out.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from accounts.selectors import sign_in_reset_done


def client_address(request: HttpRequest) -> str:
    """The client's address: behind ``PROXY_COUNT`` trusted proxies, the address the
    outermost one saw, else the connection's. Forwarded entries a client adds itself
    sit further left, so they cannot choose the address they are counted under."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ACCOUNTS_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email a sign-in names, as accounts are matched: case and spaces do not
    make a new account to guess against."""
    source = credentials if credentials else request.POST
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else None


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures on the fullest counter, scaled to ``AXES_FAILURE_LIMIT``."""
        limit = get_failure_limit(request, credentials)
        address_limit = settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT
        counts = [0]
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter in ("ip_address", ["ip_address"]):
                # Locked when failures >= address_limit, exactly as the others at `limit`.
                failures = failures * limit // address_limit
                if failures >= limit and self._reset_from_here(request, credentials):
                    failures = 0
            counts.append(failures)
        return max(counts)

    def _reset_from_here(self, request: HttpRequest, credentials: dict | None) -> bool:
        """Whether the account signing in had its password reset from this address within
        the pause: its owner may sign in here despite the address's pause. Guesses at this
        account still count against it (the account-and-address limit); every other
        account stays paused at this address."""
        username = get_client_username(request, credentials)
        return bool(username) and sign_in_reset_done(email=username, address=request.axes_ip_address)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """On success forget this account's failures from this address only."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
