import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A learner (or staff member), signing in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Whether the module page counts the learner's active reading time (README: "Reading time").
    # On unless they turn it off on the account page; the place they were reading is kept either way.
    measure_reading_time = models.BooleanField(_("measure my reading time"), default=True)
    # When the platform reports learning to an organisation's learning record store (xAPI), a
    # reflection's text goes with it only if the learner turned this on; otherwise only that it was written.
    shares_text_in_records = models.BooleanField(_("send my reflections' text with my learning records"), default=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Sign-in matches emails in any case, so two accounts may not differ only in case.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_lower_unique",
                violation_error_message=_("An account with this email already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class Session(AbstractBaseSession):
    """A database session that knows whose it is (see accounts.sessions).

    Knowing the owner lets a password change end the learner's other sessions
    and lets account deletion remove every session row with the account.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user")
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class RequestCount(models.Model):
    """How many times something was done for one key before ``expires_at``: requests
    counted by the rate limits, completed password resets (accounts.throttling).

    Counts live in the database so every process and server sees the same number and
    a restart forgets none. The key is a scope and a hash: no address or email in clear.
    """

    key = models.CharField(_("key"), max_length=120, primary_key=True)
    count = models.PositiveIntegerField(_("count"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("request count")
        verbose_name_plural = _("request counts")

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_for(*, scope: str, value: str) -> str:
        """The key counting ``value`` (an address, an email) in ``scope``: the value only as a hash."""
        return f"{scope}:{hashlib.sha256(value.encode()).hexdigest()}"

    @classmethod
    def sign_in_reset_key(cls, *, email: str, address: str) -> str:
        """The key recording that ``email``'s password was reset from ``address``."""
        return cls.key_for(scope="sign-in-reset", value=f"{email.lower()}\n{address}")
