"""Writes: accounts for launched learners, where their scores go, platforms, the tool's keys, scores sent."""

import hashlib
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto.jwk import JWK
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from courses.events import EventKind, LearningEvent
from courses.models import Module
from progress.models import Status
from progress.selectors import module_status

from .launches import AGS_ENDPOINT, SCORE_SCOPE
from .models import Deployment, GradeTarget, Identity, Platform, ToolKey
from .tool import registration_for


@transaction.atomic
def launch_learner(*, claims: dict[str, Any], platform: Platform, module: Module) -> User:
    """The account a validated resource launch signs in, with the launch's line item remembered."""
    user = learner_for_launch(
        issuer=claims["iss"],
        subject=str(claims["sub"]),
        email=str(claims.get("email") or ""),
        name=str(claims.get("name") or ""),
    )
    grade_target_record(user=user, module=module, platform=platform, claims=claims)
    return user


def learner_for_launch(*, issuer: str, subject: str, email: str = "", name: str = "") -> User:
    """The account of the person the platform names (issuer, subject), created at their first launch.

    Never matched by email: the platform asserts an address we have not verified, and an address is
    what a learner's own account here signs in with. Linking by it would let anyone able to set an
    address in some learning system (or any misconfigured platform) take over that account. So an
    address already in use is not reused; the new account gets a placeholder one instead.
    """
    identity = Identity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        return identity.user
    try:
        with transaction.atomic():
            user = _user_create(issuer=issuer, subject=subject, email=email, name=name)
            Identity.objects.create(issuer=issuer, subject=subject, user=user)
    except IntegrityError:  # a concurrent first launch of the same person created it
        return Identity.objects.select_related("user").get(issuer=issuer, subject=subject).user
    return user


def _user_create(*, issuer: str, subject: str, email: str, name: str) -> User:
    if not _usable_email(email) or User.objects.filter(email__iexact=email).exists():
        digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:24]
        email = f"lti-{digest}@lti.invalid"
    # No password: the learner comes in through the learning system (and may set one by a reset).
    return User.objects.create_user(email, None, display_name=name[:150])


def _usable_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= 254


def grade_target_record(*, user: User, module: Module, platform: Platform, claims: dict[str, Any]) -> None:
    """Remember the launch's line item, if the platform offers to take scores for it."""
    endpoint = claims.get(AGS_ENDPOINT)
    if not isinstance(endpoint, dict) or not isinstance(endpoint.get("scope"), list):
        return
    lineitem = endpoint.get("lineitem")
    valid_url = isinstance(lineitem, str) and lineitem.startswith(("https://", "http://")) and len(lineitem) <= 500
    if not valid_url or SCORE_SCOPE not in endpoint["scope"]:
        return
    target, created = GradeTarget.objects.update_or_create(
        user=user,
        module=module,
        lineitem_url=lineitem,
        defaults={"platform": platform, "subject": str(claims["sub"]), "scopes": endpoint["scope"]},
    )
    if created and _completed(user=user, module=module):
        # Done before this line item was known (on the site, or from another launch): it gets its score now.
        from .tasks import send_score

        transaction.on_commit(lambda: send_score.enqueue(target.pk))


def _completed(*, user: User, module: Module) -> bool:
    return module_status(learner=user, module=module) == Status.DONE


def completion_scores_enqueue(*, learner_id: int, module: Module) -> None:
    """A completed module's score goes to every line item its launches named, in the background
    once the completion is committed: the page never waits on a learning system."""
    from .tasks import send_score

    for target_id in GradeTarget.objects.filter(user_id=learner_id, module=module).values_list("pk", flat=True):
        transaction.on_commit(lambda pk=target_id: send_score.enqueue(pk))


def learning_event_received(event: LearningEvent) -> None:
    """The learning-event listener: a first completion sends the module's scores."""
    if event.kind == EventKind.MODULE_COMPLETED:
        completion_scores_enqueue(learner_id=event.learner_id, module=event.module)


def score_send(*, target: GradeTarget, at: datetime | None = None) -> None:
    """Post the full score (1 of 1, completed, fully graded) to the target's line item.
    Raises the library's LtiServiceException or a requests error when the platform does not take it."""
    at = at or timezone.now()
    grade = (
        Grade()
        .set_score_given(1.0)
        .set_score_maximum(1.0)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(at.isoformat())
        .set_user_id(target.subject)
    )
    connector = ServiceConnector(registration_for(target.platform))
    service = AssignmentsGradesService(connector, {"scope": target.scopes, "lineitem": target.lineitem_url})
    service.put_grade(grade)
    GradeTarget.objects.filter(pk=target.pk).update(score_sent_at=at)


@transaction.atomic
def platform_add(
    *,
    issuer: str,
    client_id: str,
    deployment_ids: list[str],
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    name: str = "",
) -> Platform:
    """Register a platform (or update the one with this issuer and client ID) and its deployments."""
    platform, _ = Platform.objects.update_or_create(
        issuer=issuer,
        client_id=client_id,
        defaults={
            "name": name,
            "auth_login_url": auth_login_url,
            "auth_token_url": auth_token_url,
            "key_set_url": key_set_url,
        },
    )
    for deployment_id in deployment_ids:
        Deployment.objects.get_or_create(platform=platform, deployment_id=deployment_id)
    return platform


def tool_key_generate() -> ToolKey:
    """A new 2048-bit RSA key pair; it signs from now on, and the older ones stay published."""
    key = JWK.generate(kty="RSA", size=2048)
    return ToolKey.objects.create(
        kid=key.thumbprint(),
        private_key=key.export_to_pem(private_key=True, password=None).decode(),
        public_key=key.export_to_pem().decode(),
    )


def identities_delete(*, learner: User) -> None:
    GradeTarget.objects.filter(user=learner).delete()
    Identity.objects.filter(user=learner).delete()
