"""Learning systems (platforms) the tool trusts, the tool's own keys, and who a launch signed in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Platform(models.Model):
    """A learning system registered with the tool: what it told us when we registered there."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255)
    client_id = models.CharField(_("client ID"), max_length=255)
    auth_login_url = models.URLField(_("authentication request URL"), max_length=500)
    auth_token_url = models.URLField(_("access token URL"), max_length=500)
    key_set_url = models.URLField(_("public keyset URL"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique_client")]

    def __str__(self) -> str:
        return self.name or f"{self.issuer} ({self.client_id})"


class Deployment(models.Model):
    """One placement of the tool in the platform (a site, an account, a course); launches name it."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(_("deployment ID"), max_length=255)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.UniqueConstraint(fields=["platform", "deployment_id"], name="lti_deployment_unique_per_platform")
        ]

    def __str__(self) -> str:
        return self.deployment_id


class ToolKey(models.Model):
    """The tool's RSA key pair: the newest signs, every one is published so a rotation breaks nothing."""

    kid = models.CharField(_("key ID"), max_length=100, unique=True)
    private_key = models.TextField(_("private key (PEM)"))
    public_key = models.TextField(_("public key (PEM)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tool key")
        verbose_name_plural = _("tool keys")
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return self.kid


class Identity(models.Model):
    """A person as a platform knows them (issuer and subject), and their account here."""

    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("LTI identity")
        verbose_name_plural = _("LTI identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="lti_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class GradeTarget(models.Model):
    """Where a learner's score for a module goes: the line item of the resource link they launched."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_grade_targets")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="+")
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=255)
    lineitem_url = models.URLField(_("line item URL"), max_length=500)
    scopes = models.JSONField(_("scopes"), default=list)
    score_sent_at = models.DateTimeField(_("score sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("grade target")
        verbose_name_plural = _("grade targets")
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "lineitem_url"], name="lti_grade_target_unique")
        ]

    def __str__(self) -> str:
        return self.lineitem_url


class LaunchState(models.Model):
    """OIDC state, nonces and launch data between the login and the launch, in the database so any
    app server can answer either step (the default cache is per process)."""

    key = models.CharField(max_length=255, primary_key=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
