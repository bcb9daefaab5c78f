"""LTI 1.3 against a small platform of our own: launches sign learners in, deep links return signed
content items, completions send scores, and forged launches are refused."""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from jwcrypto.jwk import JWK

from accounts.models import User
from lti.launches import CLAIM
from lti.models import GradeTarget, Identity
from lti.services import tool_key_generate
from testing.factories import make_learner

from .platform import CLIENT_ID, DEPLOYMENT_ID, registered_platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    platform = registered_platform()
    yield platform
    platform.close()


def login(client, platform) -> tuple[str, str]:
    """The platform starts a login; the tool redirects to the platform's auth URL with state and nonce."""
    response = client.get(
        reverse("lti:login"),
        {"iss": platform.issuer, "login_hint": "42", "target_link_uri": "http://testserver/", "client_id": CLIENT_ID},
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.url + "/auth"
    query = parse_qs(location.query)
    assert query["redirect_uri"] == ["http://testserver/lti/launch/"] and query["client_id"] == [CLIENT_ID]
    return query["state"][0], query["nonce"][0]


def launch(client, platform, module=None, HTTP_SEC_FETCH_DEST="document", **claims):
    state, nonce = login(client, platform)
    if module is not None:
        claims.setdefault(CLAIM + "custom", {"module": f"{module.course.slug}/{module.slug}"})
    token = platform.sign(platform.claims(nonce=nonce, **claims))
    return client.post(
        reverse("lti:launch"), {"state": state, "id_token": token}, HTTP_SEC_FETCH_DEST=HTTP_SEC_FETCH_DEST
    )


def test_a_launch_signs_the_learner_in_at_the_module(client, platform, module_one):
    """A launch creates the learner's account from the platform's claims and lands on Module 1."""
    response = launch(client, platform, module_one)
    assert response.status_code == 302 and response["Location"] == module_one.get_absolute_url()
    user = User.objects.get(lti_identities__issuer=platform.issuer, lti_identities__subject="learner-42")
    assert user.email == "robin@school.example" and user.display_name == "Robin Vale"
    assert not user.has_usable_password()
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.wsgi_request.user == user
    target = GradeTarget.objects.get(user=user)
    assert target.module == module_one and target.lineitem_url == platform.lineitem_url


def test_the_same_subject_launching_again_gets_the_same_account(client, platform, module_one):
    """A second launch of the same person (issuer + sub) signs in the same account; no second sign-up."""
    launch(client, platform, module_one)
    client.logout()
    launch(client, platform, module_one, name="Robin V.")
    assert Identity.objects.count() == 1 and User.objects.count() == 1


def test_an_existing_account_with_the_same_email_is_never_taken_over(client, platform, module_one):
    """The platform's email is not proof of owning the account here: a new account is made instead."""
    owner = make_learner("robin@school.example")
    launch(client, platform, module_one)
    launched = client.get(module_one.get_absolute_url()).wsgi_request.user
    assert launched != owner and launched.email.endswith("@lti.invalid")
    assert not Identity.objects.filter(user=owner).exists()


def test_an_invalid_email_from_the_platform_is_not_kept(client, platform, module_one):
    launch(client, platform, module_one, email="not an address<script>")
    assert User.objects.get().email.endswith("@lti.invalid")


def test_expired_launch_states_are_pruned_at_the_next_login(client, platform):
    """What a login keeps (state, nonce) is gone from the database once it has expired."""
    from lti.models import LaunchState

    login(client, platform)
    first = set(LaunchState.objects.values_list("key", flat=True))
    assert first
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        login(client, platform)
    remaining = set(LaunchState.objects.values_list("key", flat=True))
    assert remaining and not remaining & first


def test_a_target_link_to_a_module_page_opens_that_module(client, platform, module_one):
    """Without the custom parameter, the target link URI names the module page."""
    url = "http://testserver" + module_one.get_absolute_url()
    response = launch(client, platform, **{CLAIM + "target_link_uri": url})
    assert response["Location"] == module_one.get_absolute_url()


def test_deep_linking_returns_a_signed_list_of_the_chosen_modules(client, platform, module_one):
    """The author picks modules; the tool posts back a JWT signed with its published key."""
    picker = launch(client, platform, message_type="LtiDeepLinkingRequest")
    assert picker.status_code == 200
    html = picker.content.decode()
    assert module_one.title in html and "frame-ancestors " + platform.url in picker["Content-Security-Policy"]
    token = picker.context["token"]
    answer = client.get(reverse("lti:deep-link"), {"token": token, "module": [module_one.pk]})
    assert answer.status_code == 200 and answer.context["return_url"] == platform.url + "/deep-link-return"
    jwks = client.get(reverse("lti:jwks")).json()
    kid = jwt.get_unverified_header(answer.context["jwt"])["kid"]
    (public,) = [key for key in jwks["keys"] if key["kid"] == kid]
    pem = JWK(**public).export_to_pem()
    claims = jwt.decode(answer.context["jwt"], pem, algorithms=["RS256"], audience=platform.issuer)
    assert claims["iss"] == CLIENT_ID and claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[CLAIM + "deployment_id"] == DEPLOYMENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-platform-data"
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://testserver" + module_one.get_absolute_url()
    assert item["custom"] == {"module": f"{module_one.course.slug}/{module_one.slug}"}
    assert item["lineItem"]["scoreMaximum"] == 1
    # The chosen module is what the resulting resource link launches.
    client.logout()
    assert launch(client, platform, **{CLAIM + "custom": item["custom"]})["Location"] == module_one.get_absolute_url()


def test_the_deep_link_token_cannot_be_altered(client, platform):
    """A changed token (another return URL, say) is refused with a 400 page."""
    token = launch(client, platform, message_type="LtiDeepLinkingRequest").context["token"]
    response = client.get(reverse("lti:deep-link"), {"token": token[:-2] + "xx", "module": ["1"]})
    assert response.status_code == 400


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production
def test_completing_the_module_sends_the_score_to_the_gradebook(client, platform, module_one):
    """Completion queues a task; the worker posts 1/1, Completed, FullyGraded to the line item."""
    launch(client, platform, module_one)
    response = client.post(reverse("progress:complete", args=[module_one.course.slug, module_one.slug]))
    assert response.status_code == 302 and platform.scores == []  # the page did not wait for the platform
    run_worker()
    (score,) = platform.scores
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    assert score["scoreGiven"] == 1.0 and score["scoreMaximum"] == 1.0 and score["userId"] == "learner-42"
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert GradeTarget.objects.get().score_sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_module_completed_before_its_first_launch_is_scored_at_that_launch(client, platform, module_one):
    """A learner who finished the module before the learning system linked it gets the score once
    the launch names the line item; completing it again sends nothing more (only a first completion
    is an event), and a second launch with the same line item sends nothing more either."""
    launch(client, platform, module_one)
    client.post(reverse("progress:complete", args=[module_one.course.slug, module_one.slug]))
    run_worker()
    assert len(platform.scores) == 1
    GradeTarget.objects.all().delete()  # as if the first launches had named no line item
    launch(client, platform, module_one)
    run_worker()
    assert len(platform.scores) == 2
    client.post(reverse("progress:complete", args=[module_one.course.slug, module_one.slug]))
    launch(client, platform, module_one)
    run_worker()
    assert len(platform.scores) == 2


@pytest.mark.django_db(transaction=True)
def test_a_platform_that_is_down_gets_the_score_on_a_later_attempt(client, platform, module_one):
    """A refused score is queued again with a delay, and sent when the platform is back."""
    launch(client, platform, module_one)
    platform.score_failures = 1
    client.post(reverse("progress:complete", args=[module_one.course.slug, module_one.slug]))
    run_worker()
    assert platform.scores == [] and GradeTarget.objects.get().score_sent_at is None
    run_worker()  # not due yet
    assert platform.scores == []
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_worker()
    assert len(platform.scores) == 1


def forged(platform, nonce, **changes):
    return platform.claims(nonce=nonce, **changes)


@pytest.mark.parametrize(
    "forgery",
    ["bad signature", "wrong audience", "expired", "no expiry", "unknown deployment", "not a jwt", "no subject"],
)
def test_forged_launches_are_refused(client, platform, module_one, forgery):
    """Each forgery gets a 4xx page, signs no one in and creates no account."""
    state, nonce = login(client, platform)
    claims = platform.claims(nonce=nonce, **{CLAIM + "custom": {"module": f"{module_one.course.slug}/x"}})
    key = None
    if forgery == "bad signature":
        key = JWK.generate(kty="RSA", size=2048, kid=platform.key.kid)
    elif forgery == "wrong audience":
        claims["aud"] = "someone-else"
    elif forgery == "expired":
        claims["iat"], claims["exp"] = int(time.time()) - 600, int(time.time()) - 300
    elif forgery == "no expiry":
        del claims["exp"]
    elif forgery == "no subject":
        del claims["sub"]
    elif forgery == "unknown deployment":
        claims[CLAIM + "deployment_id"] = "elsewhere"
    token = "not.a.jwt" if forgery == "not a jwt" else platform.sign(claims, key)
    response = client.post(reverse("lti:launch"), {"state": state, "id_token": token})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session and not User.objects.exists()


def test_a_replayed_launch_is_refused(client, platform, module_one):
    """The same id_token posted twice (same nonce, same state) works once."""
    state, nonce = login(client, platform)
    token = platform.sign(
        platform.claims(nonce=nonce, **{CLAIM + "custom": {"module": f"{module_one.course.slug}/{module_one.slug}"}})
    )
    assert client.post(reverse("lti:launch"), {"state": state, "id_token": token}).status_code == 302
    client.logout()
    assert client.post(reverse("lti:launch"), {"state": state, "id_token": token}).status_code == 403


def test_a_launch_without_its_state_or_with_a_forged_one_is_refused(client, platform, module_one):
    """The state must be the one the login set in this browser's cookie."""
    state, nonce = login(client, platform)
    token = platform.sign(platform.claims(nonce=nonce))
    assert client.post(reverse("lti:launch"), {"id_token": token}).status_code == 403
    assert client.post(reverse("lti:launch"), {"state": "state-forged", "id_token": token}).status_code == 403
    assert not User.objects.exists()


def test_a_nonce_from_another_browser_is_refused(client, platform, module_one):
    """An id_token carrying another browser's nonce is refused (the nonce is kept per browser)."""
    _, nonce = login(client, platform)
    from django.test import Client

    other = Client()
    state, _ = login(other, platform)
    token = platform.sign(platform.claims(nonce=nonce))
    assert other.post(reverse("lti:launch"), {"state": state, "id_token": token}).status_code == 403


def test_a_login_from_an_unregistered_platform_is_refused(client, platform):
    response = client.get(reverse("lti:login"), {"iss": "https://stranger.example", "login_hint": "1"})
    assert response.status_code == 400


def test_a_launch_by_get_is_refused(client, platform):
    assert client.get(reverse("lti:launch")).status_code == 405


def test_the_tool_publishes_its_keys(client, platform):
    """Every generated key is in the JWKS; the newest one signs."""
    second = tool_key_generate()
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(keys) == 2 and keys[-1]["kid"] == second.kid and all(k["alg"] == "RS256" for k in keys)
    assert all("d" not in key for key in keys)  # never the private half


def test_a_learners_launch_in_a_frame_offers_the_same_login_in_a_new_window(client, platform, module_one):
    """Embedded, a resource launch signs no one in and answers with a link that starts the same login
    (the platform's own parameters) in a window of its own; the module picker stays in the frame."""
    params = {"iss": platform.issuer, "login_hint": "42", "lti_message_hint": "m-7", "client_id": CLIENT_ID}
    login = client.get(reverse("lti:login"), {**params, "unknown": "dropped"}, HTTP_SEC_FETCH_DEST="iframe")
    query = parse_qs(urlsplit(login["Location"]).query)
    token = platform.sign(platform.claims(nonce=query["nonce"][0]))
    response = client.post(
        reverse("lti:launch"), {"state": query["state"][0], "id_token": token}, HTTP_SEC_FETCH_DEST="iframe"
    )
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"] and "_auth_user_id" not in client.session
    url = response.context["url"]
    assert parse_qs(urlsplit(url).query) == {name: [value] for name, value in params.items()}
    assert 'target="_blank"' in response.content.decode()
    assert client.get(url).status_code == 302  # in its own window, the login goes on
    picker = launch(client, platform, message_type="LtiDeepLinkingRequest", HTTP_SEC_FETCH_DEST="iframe")
    assert picker.status_code == 200 and module_one.title in picker.content.decode()


def test_the_login_cookies_work_across_sites_over_https(client, platform):
    """Over HTTPS the state and launch-session cookies are SameSite=None; Secure, so the platform's
    cross-site form post of the id_token carries them."""
    params = {"iss": platform.issuer, "login_hint": "42", "client_id": CLIENT_ID}
    response = client.get(reverse("lti:login"), params, secure=True)
    lti_cookies = [cookie for name, cookie in response.cookies.items() if name.startswith("lti1p3-")]
    assert len(lti_cookies) == 2
    assert all(cookie["samesite"] == "None" and cookie["secure"] and cookie["httponly"] for cookie in lti_cookies)


def test_platforms_are_registered_by_command(db, capsys):
    """`lti_platform add` registers (and updates) a platform with its deployments; a bad URL changes nothing."""
    from django.core.management.base import CommandError

    from lti.models import Platform

    urls = ["--login-url", "https://lms.example/auth", "--token-url", "https://lms.example/token"]
    base = ["add", "--issuer", "https://lms.example", "--client-id", "c1", *urls]
    call_command("lti_platform", *base, "--jwks-url", "https://lms.example/jwks", "--deployment-id", "1")
    call_command("lti_platform", *base, "--jwks-url", "https://lms.example/jwks2", "--deployment-id", "2")
    platform = Platform.objects.get()
    assert platform.key_set_url == "https://lms.example/jwks2"
    assert sorted(platform.deployments.values_list("deployment_id", flat=True)) == ["1", "2"]
    with pytest.raises(CommandError):
        call_command("lti_platform", *base, "--jwks-url", "not a url", "--client-id", "c2")
    assert Platform.objects.count() == 1
    call_command("lti_platform", "list")
    assert "https://lms.example\tc1\t1, 2" in capsys.readouterr().out


def test_the_key_command_generates_a_published_key(client, db, capsys):
    call_command("lti_keys", "generate")
    kid = capsys.readouterr().out.split()[-1]
    assert [key["kid"] for key in client.get(reverse("lti:jwks")).json()["keys"]] == [kid]


def test_a_launched_learners_links_are_in_their_export_and_go_with_the_account(client, platform, module_one):
    """Download my data lists the platform identities; deleting the account deletes them."""
    from accounts.selectors import learner_data
    from accounts.services import user_delete

    launch(client, platform, module_one)
    user = Identity.objects.get().user
    assert learner_data(learner=user)["lti"][0]["subject"] == "learner-42"
    user_delete(user=user)
    assert not Identity.objects.exists() and not GradeTarget.objects.exists()


def test_the_admin_registers_platforms_and_their_deployments(client, platform):
    admin = User.objects.create_superuser("admin@example.com", "pw-admin-1234")
    client.force_login(admin)
    from lti.models import Platform

    page = client.get(reverse("admin:lti_platform_change", args=[Platform.objects.get().pk]))
    assert page.status_code == 200 and DEPLOYMENT_ID in page.content.decode()
    form = {
        "name": "Moodle",
        "issuer": "https://moodle.example",
        "client_id": "abc",
        "auth_login_url": "https://moodle.example/mod/lti/auth.php",
        "auth_token_url": "https://moodle.example/mod/lti/token.php",
        "key_set_url": "https://moodle.example/mod/lti/certs.php",
        "deployments-TOTAL_FORMS": "1",
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-deployment_id": "3",
    }
    assert client.post(reverse("admin:lti_platform_add"), form).status_code == 302
    added = Platform.objects.get(issuer="https://moodle.example")
    assert list(added.deployments.values_list("deployment_id", flat=True)) == ["3"]


def test_a_launch_without_a_score_service_keeps_no_grade_target(client, platform, module_one):
    """No AGS claim, or one without the score scope: the learner is signed in and nothing is sent later."""
    from lti.launches import AGS_ENDPOINT

    launch(client, platform, module_one, **{AGS_ENDPOINT: {"scope": "score", "lineitem": ["not", "a", "url"]}})
    assert "_auth_user_id" in client.session and not GradeTarget.objects.exists()


def test_deep_linking_returns_every_chosen_module_in_course_order(client, platform):
    """Two modules picked (in any order) come back as two resource links, in the course's order."""
    from testing.factories import TEST_DATA, import_modules

    first, _, third = import_modules(TEST_DATA)
    token = launch(client, platform, message_type="LtiDeepLinkingRequest").context["token"]
    answer = client.get(reverse("lti:deep-link"), {"token": token, "module": [third.pk, first.pk]})
    claims = jwt.decode(answer.context["jwt"], options={"verify_signature": False})
    items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert [item["custom"]["module"] for item in items] == [f"{m.course.slug}/{m.slug}" for m in (first, third)]
    empty = client.get(reverse("lti:deep-link"), {"token": token})
    assert empty.status_code == 400 and "Choose at least one module." in empty.content.decode()
