"""PyLTI1p3 wired to this app's tables: the registrations it looks up and where it keeps launch state."""

from datetime import timedelta

from django.utils import timezone
from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from .models import Deployment, LaunchState, Platform, ToolKey

# How long a login's state and nonce, and a launch's data, are kept.
LAUNCH_LIFETIME = 3600


def registration_for(platform: Platform) -> Registration:
    """The PyLTI1p3 registration of a platform, signing with the tool's newest key."""
    key = ToolKey.objects.latest()
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        .set_tool_private_key(key.private_key)
        .set_tool_public_key(key.public_key)
    )


def platform_for(issuer: str, client_id: str | None) -> Platform | None:
    """The platform by issuer and client ID; the issuer alone when it names one registration
    (a login initiation may leave the client ID out)."""
    platforms = Platform.objects.filter(issuer=issuer)
    if client_id:
        return platforms.filter(client_id=client_id).first()
    found = list(platforms[:2])
    return found[0] if len(found) == 1 else None


class PlatformToolConf(ToolConfAbstract):
    """Registrations from the :class:`Platform` table; an issuer may have several client IDs."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss: str, client_id, *args, **kwargs) -> Registration | None:
        platform = platform_for(iss, client_id)
        if platform is None or not ToolKey.objects.exists():
            return None
        return registration_for(platform)

    def find_deployment(self, iss: str, deployment_id: str) -> LtiDeployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id, *args, **kwargs):
        platform = platform_for(iss, client_id)
        if platform is None or not Deployment.objects.filter(platform=platform, deployment_id=deployment_id).exists():
            return None
        return LtiDeployment().set_deployment_id(deployment_id)


class DatabaseLaunchStorage(LaunchDataStorage):
    """Launch state in :class:`LaunchState` rows, keyed under the browser's ``lti1p3-session-id`` cookie."""

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str):
        row = LaunchState.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).first()
        return row.value if row else None

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        # PyLTI1p3 asks a day for launch data; an hour is enough to pick modules after a deep link.
        expires_at = timezone.now() + timedelta(seconds=min(exp or LAUNCH_LIFETIME, LAUNCH_LIFETIME))
        LaunchState.objects.update_or_create(
            key=self._prepare_key(key), defaults={"value": value, "expires_at": expires_at}
        )

    def check_value(self, key: str) -> bool:
        return LaunchState.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).exists()

    def take(self, key: str) -> bool:
        """Remove a live value; True for the one caller that removed it (a nonce is good once)."""
        deleted, _ = LaunchState.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).delete()
        return deleted == 1


def launch_states_prune() -> int:
    deleted, _ = LaunchState.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
