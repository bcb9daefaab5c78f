"""LTI endpoints: login initiation, launch, the deep linking module picker, and the tool's key set."""

from urllib.parse import urlencode, urlsplit

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import Module

from . import launches, selectors, services
from .launches import LaunchRefused

BACKEND = "accounts.backends.UserBackend"
# What a platform's login initiation may carry, passed on unchanged to a login in a new window.
LOGIN_PARAMS = ["iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id"]
UNKNOWN_PLATFORM = _("This learning system is not registered with the course, or its request is incomplete.")
UNVERIFIED = _(
    "This launch could not be verified. Open the activity again from your course; if it opens inside the course"
    " page, your browser may be keeping this site's cookies out of it: open it in a new window."
)
NO_MODULE = _("The module this link points at is not in the course any more.")
EXPIRED = _("This request has expired. Start again from your course's activity chooser.")


def refused(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "lti/refused.html", {"reason": reason}, status=status)


# The platform starts the login from its own site, by GET or by a form POST (the spec allows both), and a
# cross-site POST carries no CSRF token. Nothing is changed for anyone here: it only sets a state cookie
# and a nonce that the launch must then match.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET.get(name) or request.POST.get(name) for name in LOGIN_PARAMS}
    params = {name: value for name, value in params.items() if value}
    launch_url = request.build_absolute_uri(reverse("lti:launch"))
    try:
        return launches.login_redirect(request=request, launch_url=launch_url, params=params)
    except LaunchRefused:
        return refused(request, UNKNOWN_PLATFORM, 400)


# The platform posts the signed id_token from its own site (OIDC form_post): no CSRF token can come with it.
# What protects it instead: the platform's signature, the audience, the expiry, the nonce (spent here) and
# the state cookie set by the login initiation in this browser.
@csrf_exempt
@xframe_options_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    try:
        claims, platform, login_params = launches.launch_validated(request=request)
        if launches.is_deep_link(claims):
            return _picker(request, token=launches.deep_link_token(claims=claims, platform=platform))
    except LaunchRefused:
        return refused(request, UNVERIFIED)
    if request.headers.get("Sec-Fetch-Dest") == "iframe":
        return _new_window(request, login_params)
    module = selectors.module_for_launch(claims)
    if module is None:
        return refused(request, NO_MODULE, 404)
    login(request, services.launch_learner(claims=claims, platform=platform, module=module), backend=BACKEND)
    return redirect(module)


def _new_window(request: HttpRequest, login_params: dict[str, str]) -> HttpResponse:
    """A learner's launch embedded in the platform's page cannot keep a session here (the cookies would
    be third-party, and the course's pages refuse to be framed): offer to start the same login in a
    window of its own, where every cookie is first-party. The page holds only that link. (The module
    picker, which needs no session, stays in the frame.)"""
    url = reverse("lti:login") + "?" + urlencode(login_params)
    response = render(request, "lti/new_window.html", {"url": url})
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": ["*"]}
    return response


@require_GET
def deep_link(request: HttpRequest) -> HttpResponse:
    """The picker's answer: a form that posts the signed content items back to the platform."""
    token = request.GET.get("token", "")
    try:
        deep_link_request = launches.deep_link_request(token)
        chosen = _chosen_modules(request)
        if not chosen:
            return _picker(request, token=token, error=str(_("Choose at least one module.")))
        jwt, return_url = launches.deep_link_response(
            request=deep_link_request, modules=[(m, request.build_absolute_uri(m.get_absolute_url())) for m in chosen]
        )
    except LaunchRefused:
        return refused(request, EXPIRED, 400)
    response = render(request, "lti/deep_link_return.html", {"jwt": jwt, "return_url": return_url, "modules": chosen})
    return _framed_by(response, return_url)


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.jwks())


def _chosen_modules(request: HttpRequest) -> list[Module]:
    ids = [int(value) for value in request.GET.getlist("module") if value.isdigit()]
    return list(Module.objects.select_related("course").filter(pk__in=ids).order_by("course__position", "number"))


def _picker(request: HttpRequest, *, token: str, error: str = "") -> HttpResponse:
    settings = launches.deep_link_request(token)["settings"]
    context = {
        "token": token,
        "courses": selectors.courses_to_pick(),
        "multiple": settings.get("accept_multiple", True) not in (False, "false"),
        "error": error,
    }
    response = render(request, "lti/deep_link.html", context, status=400 if error else 200)
    return _framed_by(response, settings["deep_link_return_url"])


def _framed_by(response: HttpResponse, return_url: str) -> HttpResponse:
    """The picker lives in the platform's frame and posts back to it: allow that one origin, no other."""
    parts = urlsplit(return_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": [origin], "form-action": ["'self'", origin]}
    return response
