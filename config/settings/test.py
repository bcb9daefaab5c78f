from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files straight from the app folders, so a server process started
# by a test needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing is collected in tests; whitenoise would warn about a missing folder

if DATABASES["default"]["ENGINE"] == "config.sqlite":
    # A file rather than shared memory, so the live server's threads lock the way
    # production does (WAL, busy timeout) instead of failing on shared-cache table locks.
    import os

    from config import env

    DATABASES["default"]["TEST"] = {"NAME": str(env.data_dir() / f"test-{os.getpid()}.sqlite3")}
