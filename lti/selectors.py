"""Reads: which module a launch opens, the tool's public keys, the modules to pick, a learner's links."""

import json
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from jwcrypto.jwk import JWK

from accounts.models import User
from courses.models import Course, Module
from courses.selectors import course_outline, courses_listed

from .launches import CLAIM
from .models import Identity, ToolKey


def module_for_launch(claims: dict[str, Any]) -> Module | None:
    """The module a resource link opens: its ``module`` custom parameter (``course/module``, what deep
    linking sets), else the module page its target link URI points at."""
    reference = (claims.get(CLAIM + "custom") or {}).get("module") or ""
    course, _, slug = str(reference).partition("/")
    if not slug:
        course, slug = _module_in_url(claims.get(CLAIM + "target_link_uri") or "")
    if not slug:
        return None
    return Module.objects.select_related("course").filter(course__slug=course, slug=slug).first()


def _module_in_url(url: str) -> tuple[str, str]:
    try:
        match = resolve(urlsplit(str(url)).path)
    except Resolver404:
        return "", ""
    if match.view_name != "courses:module":
        return "", ""
    return match.kwargs["course"], match.kwargs["slug"]


def jwks() -> dict[str, list[dict[str, Any]]]:
    """The tool's public keys as a JSON Web Key Set: platforms check our signatures with it."""
    keys = []
    for key in ToolKey.objects.order_by("created_at"):
        public = json.loads(JWK.from_pem(key.public_key.encode()).export_public())
        keys.append({**public, "kid": key.kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}


def courses_to_pick() -> list[tuple[Course, list[Module]]]:
    return [(course, course_outline(course=course)) for course in courses_listed()]


def identities_export(*, learner: User) -> list[dict[str, str]]:
    identities = Identity.objects.filter(user=learner).order_by("created_at")
    return [{"issuer": i.issuer, "subject": i.subject, "linked_at": i.created_at.isoformat()} for i in identities]
