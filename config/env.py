"""The one place where the platform reads its environment.

Every setting that an operator may change is read here and nowhere else, so
that ``grep env.`` in ``config/settings`` lists the whole deployment surface.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database and the generated secret key live."""
    path = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """``SECRET_KEY`` from the environment, else one generated once and kept.

    Keeping it in the data directory means sessions and password-reset links
    survive a restart of ``make run`` without the operator choosing a key.
    """
    if key := env_str("SECRET_KEY"):
        return key
    path = data_dir() / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


SQLITE_OPTIONS = {
    # BEGIN IMMEDIATE takes the write lock at the start of every transaction, so
    # two writers never fail with "database is locked" when one upgrades a read
    # lock. They queue on config.sqlite's lock file; busy_timeout is the fallback
    # for anything else that writes (another program, the backup command).
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
    ),
}


def database() -> dict:
    """``DATABASE_URL`` (PostgreSQL for scale-out), else embedded SQLite through config.sqlite
    (Django's backend, with writers queued on a lock file).

    Either way each process keeps its connection for ``CONN_MAX_AGE`` seconds. For
    SQLite this spares every request opening the file, registering Django's SQL
    functions and running the pragmas below (about a millisecond), and closing it:
    the last connection to close checkpoints the write-ahead log into the database
    and deletes it, which a save then has to create again.
    """
    url = env_str("DATABASE_URL")
    max_age = env_int("CONN_MAX_AGE", 600)
    if url:
        config = dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)
    else:
        path = str(data_dir() / "db.sqlite3")
        config = {"ENGINE": "config.sqlite", "NAME": path, "CONN_MAX_AGE": max_age}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "config.sqlite"
    if config["ENGINE"] == "config.sqlite":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def web_concurrency() -> int:
    """How many processes serve requests: ``WEB_CONCURRENCY``, else gunicorn's one per core."""
    return env_int("WEB_CONCURRENCY", os.cpu_count() or 1)


def rate_limit_cache() -> str | None:
    """The cache alias rate limits count in: Redis's when ``REDIS_URL`` is set (its
    increments are atomic), else none, and they count in the database."""
    return "default" if env_str("REDIS_URL") else None


def cache() -> dict:
    """``REDIS_URL`` for a cache shared by several app servers, else per-process memory.

    The per-process cache only ever holds what is the same for everyone (rendered
    lessons), so it is safe with several workers: a stale entry is keyed by the
    module's content hash and can never be served for new content.
    """
    if url := env_str("REDIS_URL"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sales-blueprint"}
