"""Counting requests against a limit, where every process and server sees the same count.

Used by sign-up and password reset (per address, per email) and, through
``accounts.learners.learner_rate_limited``, by apps that limit what a learner does.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from accounts.models import RequestCount


def rate_limited(*, scope: str, key: str, limit: int, seconds: int) -> bool:
    """Count one request for ``key`` and tell whether it is over ``limit`` in the window.

    A fixed window of ``seconds`` from the key's first request, counted where every
    process and server sees the same number and a restart forgets nothing: the
    database, or the cache ``ACCOUNTS_RATE_LIMIT_CACHE`` names (Redis, whose
    increments are atomic). The key is hashed so no address or email is stored in clear.
    """
    counter_key = RequestCount.key_for(scope=scope, value=key)
    alias = settings.ACCOUNTS_RATE_LIMIT_CACHE
    if alias is None:
        return request_count_add(key=counter_key, seconds=seconds) > limit
    store = caches[alias]
    counter_key = f"ratelimit:{counter_key}"
    store.add(counter_key, 0, timeout=seconds)
    try:
        count = store.incr(counter_key)
    except ValueError:  # expired between add and incr
        store.set(counter_key, 1, timeout=seconds)
        count = 1
    return count > limit


def request_count_add(*, key: str, seconds: int) -> int:
    """Count one more for ``key`` in its window of ``seconds`` and return the count.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so requests
    served at once by several processes never read the same count: each gets its
    own number. A window that has passed starts again at one. Starting a window
    also removes the rows of other keys whose windows have passed, so the table
    holds about one row per key counted lately, and a request inside its window
    (a learner's tenth save this minute) writes one row, not two.
    """
    now = timezone.now()
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
        count = cursor.fetchone()[0]
    if count == 1:
        RequestCount.objects.filter(expires_at__lte=now).delete()
    return count
