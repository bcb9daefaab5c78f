import pytest
from django.test import RequestFactory, override_settings

from accounts.throttling import client_address, rate_limited


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


def test_rate_limit_counts_per_key_within_the_window():
    """The limit allows `limit` requests for a key; other keys and scopes have their own counts."""
    results = [rate_limited(scope="test", key="a", limit=2, seconds=60) for _ in range(3)]
    assert results == [False, False, True]
    assert rate_limited(scope="test", key="b", limit=2, seconds=60) is False
    assert rate_limited(scope="other", key="a", limit=2, seconds=60) is False
