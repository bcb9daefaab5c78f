"""The LTI 1.3 messages, through PyLTI1p3: login initiation, launch validation, deep linking responses.

Anything a launch gets wrong (signature, audience, expiry, a nonce used before, a missing or forged
state, an unknown platform or deployment) raises :class:`LaunchRefused`, which the views answer with a
4xx page: a learning system's bad message is never a server error here.
"""

from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from courses.models import Module

from .models import Platform
from .tool import (
    LAUNCH_LIFETIME,
    DatabaseLaunchStorage,
    PlatformToolConf,
    launch_states_prune,
    platform_for,
    registration_for,
)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
DEEP_LINK_SALT = "lti.deep-link"
# What a malformed message can raise inside the library besides its own exceptions.
MALFORMED = (LtiException, OIDCException, ValueError, TypeError, KeyError, AttributeError)


class LaunchRefused(Exception):
    pass


def login_redirect(*, request: HttpRequest, launch_url: str, params: dict[str, str]) -> HttpResponse:
    """Answer a third-party login initiation: keep a state (cookie) and a nonce, send the browser to the
    platform's authentication endpoint, which posts the signed id_token back to ``launch_url``. The
    login's ``params`` are kept with the state, for a launch that has to start again in a new window."""
    launch_states_prune()
    login = DjangoOIDCLogin(request, PlatformToolConf(), launch_data_storage=DatabaseLaunchStorage())
    try:
        return login.pass_params_to_launch(params).redirect(launch_url)
    except MALFORMED as error:
        raise LaunchRefused(str(error)) from error


def launch_validated(*, request: HttpRequest) -> tuple[dict[str, Any], Platform, dict[str, str]]:
    """The launch's claims, once every check passed and its nonce is spent; its platform; and the
    parameters its login initiation came with."""
    storage = DatabaseLaunchStorage()
    try:
        launch = DjangoMessageLaunch(request, PlatformToolConf(), launch_data_storage=storage)
        # PyJWT checks exp only when present; an id_token without expiry or issue time is refused.
        # The audience is checked by the library against the registered client ID.
        launch.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})
        claims = launch.validate().get_launch_data()
        login_params = launch.get_params_from_login() or {}
    except MALFORMED as error:
        raise LaunchRefused(str(error)) from error
    # The library only checks that the nonce was issued; spending it makes a replayed id_token useless.
    if not storage.take("nonce-" + claims["nonce"]):
        raise LaunchRefused("nonce already used")
    platform = platform_for(claims["iss"], launch.get_client_id())
    subject = claims.get("sub")
    # The spec caps sub at 255 characters; an anonymous launch (no sub) has no one to sign in.
    if platform is None or not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise LaunchRefused("anonymous launch, malformed subject or unknown platform")
    return claims, platform, login_params


def is_deep_link(claims: dict[str, Any]) -> bool:
    return claims.get(CLAIM + "message_type") == "LtiDeepLinkingRequest"


def deep_link_token(*, claims: dict[str, Any], platform: Platform) -> str:
    """What the module picker needs to answer this deep linking request, signed so it cannot be
    altered (the return URL especially) and valid as long as the launch."""
    settings = claims.get(DEEP_LINKING_SETTINGS) or {}
    if not settings.get("deep_link_return_url"):
        raise LaunchRefused("deep linking request without a return URL")
    data = {"platform": platform.pk, "deployment": claims[CLAIM + "deployment_id"], "settings": settings}
    return signing.dumps(data, salt=DEEP_LINK_SALT, compress=True)


def deep_link_request(token: str) -> dict[str, Any]:
    try:
        return signing.loads(token, salt=DEEP_LINK_SALT, max_age=LAUNCH_LIFETIME)
    except signing.BadSignature as error:
        raise LaunchRefused("deep linking request expired or altered") from error


def deep_link_response(*, request: dict[str, Any], modules: list[tuple[Module, str]]) -> tuple[str, str]:
    """(the signed LtiDeepLinkingResponse JWT, the platform's return URL) for the chosen modules,
    each given as (module, its absolute URL)."""
    platform = Platform.objects.filter(pk=request["platform"]).first()
    if platform is None:
        raise LaunchRefused("platform no longer registered")
    deep_link = DeepLink(registration_for(platform), request["deployment"], request["settings"])
    resources = [_resource(module, url) for module, url in modules]
    return deep_link.get_response_jwt(resources), request["settings"]["deep_link_return_url"]


def _resource(module: Module, url: str) -> DeepLinkResource:
    line_item = LineItem().set_score_maximum(1).set_label(module.title).set_resource_id(module_ref(module))
    return (
        DeepLinkResource()
        .set_url(url)
        .set_title(f"{module.number}. {module.title}")
        .set_custom_params({"module": module_ref(module)})
        .set_lineitem(line_item)
    )


def module_ref(module: Module) -> str:
    return f"{module.course.slug}/{module.slug}"
