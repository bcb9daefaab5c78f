"""Settings shared by every environment; the environment is read in config.env only."""

from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR

SECRET_KEY = env.secret_key()
DEBUG = False
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "accounts",
    "courses",
    "progress",
    "reflections",
    "practice",
    "cohorts",
    "revisits",
    "interchange",
    "lti",
    "django_tasks",
    "django_tasks_db",
    "backups",
]

# Background work (weekly digests): django-tasks on the database; `manage.py worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's address, for links in emails sent from the background (no request to ask).
SITE_URL = env.env_str("SITE_URL", "http://127.0.0.1:8000")
# xAPI: learning events as statements to a Learning Record Store (interchange/outbox.py); off while
# XAPI_ENDPOINT is empty. Statements wait in an outbox table and go out in batches from the worker.
# XAPI_USERNAME/XAPI_PASSWORD: the LRS's basic-auth key and secret. Activities are named under
# XAPI_ACTIVITY_BASE (default SITE_URL); learners by an opaque id, by their email only with XAPI_ACTOR_EMAIL.
XAPI_ENDPOINT = env.env_str("XAPI_ENDPOINT").rstrip("/")
XAPI_USERNAME = env.env_str("XAPI_USERNAME")
XAPI_PASSWORD = env.env_str("XAPI_PASSWORD")
XAPI_ACTIVITY_BASE = env.env_str("XAPI_ACTIVITY_BASE", SITE_URL).rstrip("/")
XAPI_ACTOR_EMAIL = env.env_bool("XAPI_ACTOR_EMAIL")
XAPI_BATCH_SIZE = 50
XAPI_TIMEOUT = 10  # seconds for one request to the LRS
XAPI_RETRY_SECONDS = 30  # the first retry after a failed send; doubled each time, up to XAPI_RETRY_MAX_SECONDS
XAPI_RETRY_MAX_SECONDS = 3600
# A reflection is sent once the learner has stopped typing this long (autosave would make one statement a save).
XAPI_REFLECTION_SETTLE_SECONDS = 120
# What `manage.py worker` runs at each sweep besides the digests: it catches anything a lost task left behind.
WORKER_SWEEP_COMMANDS = ["send_statements"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: compressed at collectstatic
    # Pages compressed as sent; Django's GZip pads each reply against BREACH (since 4.2).
    "django.middleware.gzip.GZipMiddleware",
    "reflections.middleware.JsonApiErrorsMiddleware",  # /api/ answers JSON, errors included
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% url %} remembering its answers (config/remembered_urls.py), in every template.
            "builtins": ["config.remembered_urls"],
        },
    },
]

DATABASES = {"default": env.database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:home"
LOGOUT_REDIRECT_URL = "courses:home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",  # Django's ModelBackend, with the user read written out
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]

# Sessions live in the database so any app server can answer any request; each
# row names its user (accounts.sessions), so a password change or account
# deletion ends the learner's other sessions. Signed cookies could not be ended.
SESSION_ENGINE = env.env_str("SESSION_ENGINE", "accounts.sessions")
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form post explains itself in the site's layout (static/js/forms.js makes it rare).
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

CACHES = {"default": env.cache()}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.MinifiedStaticFilesStorage"},
}

# Upper bound on a request body; a reflection is far smaller (see reflections.limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
# Module and scenario files the owner uploads in the console wait here until published.
CONTENT_UPLOADS_DIR = env.data_dir() / "uploads"
# Where `manage.py backup` writes when given no file name.
BACKUP_DIR = env.data_dir() / "backups"

EMAIL_BACKEND = env.env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Sales Blueprint <no-reply@localhost>")

# Guessing passwords: lock an account+address pair after 5 failures, and any
# address after 20 failures across accounts (one password sprayed over many
# accounts), for 15 minutes; see accounts.throttling. Locking an account for
# every address would let anyone lock any learner out, so it is per address.
AXES_HANDLER = "accounts.throttling.SignInThrottle"
AXES_FAILURE_LIMIT = 5
ACCOUNTS_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.sign_in_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Client addresses: X-Forwarded-For is trusted only for PROXY_COUNT proxies in front.
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
ACCOUNTS_PROXY_COUNT = env.env_int("PROXY_COUNT", 0)
# Rate limits as (requests, seconds): password reset per email and per client
# address, and sign-up per client address (it tells whether an email is taken).
ACCOUNTS_RATE_PASSWORD_RESET_PER_EMAIL = (3, 60 * 60)
ACCOUNTS_RATE_PASSWORD_RESET_PER_ADDRESS = (10, 60 * 60)
ACCOUNTS_RATE_SIGNUP = (20, 60 * 60)
# Where the limits count: None for the database, shared by every process and server
# (accounts.throttling), or a cache alias whose increments are atomic across them (Redis).
# A per-process cache is refused by a system check when several processes serve.
ACCOUNTS_RATE_LIMIT_CACHE = env.rate_limit_cache()
SERVER_PROCESSES = env.web_concurrency()
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "WARNING")},
}
