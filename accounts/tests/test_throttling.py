import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.checks import rate_limit_store_check
from accounts.models import RequestCount
from accounts.ratelimits import rate_limited
from accounts.throttling import client_address
from testing.servers import ROOT


@pytest.fixture
def request_from():
    def build(remote: str = "10.0.0.1", forwarded: str | None = None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    return build


def test_without_proxies_the_connection_address_counts(request_from):
    """X-Forwarded-For is ignored unless proxies are configured: a client cannot choose its address."""
    assert client_address(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


@override_settings(ACCOUNTS_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_the_proxy_saw_counts(request_from):
    """Behind one proxy the rightmost forwarded entry is the client; entries to its left are the client's own."""
    assert client_address(request_from("10.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(ACCOUNTS_PROXY_COUNT=2)
def test_behind_two_proxies_the_outermost_proxys_view_counts(request_from):
    """Behind two proxies the second entry from the right is the client."""
    assert client_address(request_from("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@override_settings(ACCOUNTS_PROXY_COUNT=1)
@pytest.mark.parametrize("forwarded", ["", "not an address", ",,"])
def test_a_missing_or_malformed_forwarded_header_falls_back_to_the_connection(request_from, forwarded):
    """A header that is missing or not an address is not trusted."""
    assert client_address(request_from("10.0.0.1", forwarded)) == "10.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize("store", [None, "default"])
def test_rate_limit_counts_per_key_within_the_window(settings, store):
    """The limit allows `limit` requests for a key; other keys and scopes have their own counts,
    in the database and in a cache alike."""
    settings.ACCOUNTS_RATE_LIMIT_CACHE = store
    results = [rate_limited(scope="test", key="a", limit=2, seconds=60) for _ in range(3)]
    assert results == [False, False, True]
    assert rate_limited(scope="test", key="b", limit=2, seconds=60) is False
    assert rate_limited(scope="other", key="a", limit=2, seconds=60) is False


@pytest.mark.django_db
def test_a_window_that_has_passed_counts_from_zero():
    """Once the window is over the key starts a new count, and the old count is removed."""
    assert [rate_limited(scope="test", key="a", limit=1, seconds=60) for _ in range(2)] == [False, True]
    RequestCount.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert rate_limited(scope="test", key="a", limit=1, seconds=60) is False
    assert RequestCount.objects.get().count == 1


@pytest.mark.django_db
def test_the_sign_up_limit_is_exact_whatever_happens_to_the_cache():
    """Twenty sign-ups an hour from one address, the 21st refused, even when the cache is emptied
    between them (a worker restarting, or another worker answering)."""
    statuses = []
    for number in range(21):
        if number % 5 == 0:
            cache.clear()
        data = {"email": f"new{number}@example.com", "password1": "a long passphrase 1", "password2": "x"}
        statuses.append(Client().post(reverse("signup"), data).status_code)
    assert statuses == [200] * 20 + [429]


def database_url() -> str:
    """The test database as a URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def rate_limited_elsewhere(*, scope: str, key: str, limit: int) -> bool:
    """``rate_limited`` in a separate Python process on the same database."""
    code = (
        "import django; django.setup(); from accounts.ratelimits import rate_limited; "
        f"print(rate_limited(scope={scope!r}, key={key!r}, limit={limit}, seconds=60))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url()}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_the_same_count():
    """Two processes (gunicorn workers, app servers) count against one limit: two requests here
    and one in another process are three."""
    assert [rate_limited(scope="test", key="shared", limit=2, seconds=60) for _ in range(2)] == [False, False]
    assert rate_limited_elsewhere(scope="test", key="shared", limit=2) is True
    assert rate_limited(scope="test", key="shared", limit=3, seconds=60) is True


@pytest.mark.parametrize(
    ("store", "processes", "refused"),
    [("default", 2, True), ("default", 1, False), (None, 4, False)],
)
def test_a_per_process_cache_for_rate_limits_is_refused_when_several_processes_serve(
    settings, store, processes, refused
):
    """Counting in one process's memory (the tests' LocMemCache) is an error once a second process
    serves; the database is shared, so it is always accepted."""
    settings.ACCOUNTS_RATE_LIMIT_CACHE = store
    settings.SERVER_PROCESSES = processes
    errors = rate_limit_store_check(app_configs=None)
    assert [error.id for error in errors] == (["accounts.E001"] if refused else [])


def test_the_default_settings_pass_the_rate_limit_check():
    """Without Redis the limits count in the database and `manage.py check` has nothing to say."""
    assert rate_limit_store_check(app_configs=None) == []


@pytest.mark.django_db
def test_expired_counts_are_swept_when_a_window_starts_not_on_every_request(django_assert_num_queries):
    """A request inside its window is one statement; one that starts a window also removes the rows of
    other keys whose windows have passed, so the table does not grow with keys never seen again."""
    rate_limited(scope="test", key="gone", limit=5, seconds=60)
    RequestCount.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    rate_limited(scope="test", key="a", limit=5, seconds=60)
    assert RequestCount.objects.count() == 1  # "gone" was swept when a's window started
    with django_assert_num_queries(1):
        assert rate_limited(scope="test", key="a", limit=5, seconds=60) is False
