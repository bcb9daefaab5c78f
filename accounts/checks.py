"""System checks for what must be shared by every process that serves."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Tags as tags

# Backends that keep their entries in each process's memory (or nowhere at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(tags.caches)
def rate_limit_store_check(app_configs, **kwargs) -> list[Error]:
    """Rate limits counted in a per-process cache would allow the limit once per process."""
    alias = settings.ACCOUNTS_RATE_LIMIT_CACHE
    if alias is None or settings.SERVER_PROCESSES <= 1:
        return []
    backend = settings.CACHES.get(alias, {}).get("BACKEND")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"Rate limits count in the cache {alias!r} ({backend}), which each process keeps for itself, "
            f"but {settings.SERVER_PROCESSES} processes serve: each would allow the whole limit.",
            hint="Set ACCOUNTS_RATE_LIMIT_CACHE to None to count in the database, set REDIS_URL, "
            "or serve with WEB_CONCURRENCY=1.",
            id="accounts.E001",
        )
    ]
