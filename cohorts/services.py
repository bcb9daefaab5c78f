"""Creating cohorts and invites, and joining: every write of this app."""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course

from .models import Cohort, Invite, Membership, Role


class InviteUnusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def cohort_create(
    *,
    name: str,
    course: Course,
    facilitators: Iterable[User],
    created_by: User | None = None,
    expires_at: datetime | None = None,
    seats: int | None = None,
) -> tuple[Cohort, Invite]:
    """A cohort with its facilitators and a first invite link."""
    cohort = Cohort.objects.create(name=name.strip(), course=course, created_by=created_by)
    for user in facilitators:
        facilitator_add(cohort=cohort, user=user)
    return cohort, invite_create(cohort=cohort, expires_at=expires_at, seats=seats)


def facilitator_add(*, cohort: Cohort, user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(cohort=cohort, user=user, role=Role.FACILITATOR)
    return membership


def invite_create(*, cohort: Cohort, expires_at: datetime | None = None, seats: int | None = None) -> Invite:
    return Invite.objects.create(cohort=cohort, expires_at=expires_at, seats=seats)


def invite_revoke(*, invite: Invite) -> Invite:
    """Nobody can join through it any more; those who joined stay."""
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


@transaction.atomic
def cohort_join(*, user: User, token: str) -> Membership:
    """Join the invite's cohort as a learner (joining twice changes nothing); InviteUnusable says why not."""
    invite = Invite.objects.select_for_update().select_related("cohort").filter(token=token).first()
    if invite is None:
        raise InviteUnusable("unknown")
    existing = Membership.objects.filter(cohort=invite.cohort, user=user, role=Role.LEARNER).first()
    if existing is not None:
        return existing
    if reason := invite.unusable_because():
        raise InviteUnusable(reason)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(cohort=invite.cohort, user=user, role=Role.LEARNER)
    except IntegrityError:  # a double click, the first one won
        return Membership.objects.get(cohort=invite.cohort, user=user, role=Role.LEARNER)
    Invite.objects.filter(pk=invite.pk).update(used=invite.used + 1)
    return membership


def cohort_leave(*, cohort: Cohort, user: User) -> None:
    """The learner leaves: their coaches see nothing of them from now on."""
    Membership.objects.filter(cohort=cohort, user=user, role=Role.LEARNER).delete()


def memberships_delete(*, learner: User) -> None:
    Membership.objects.filter(user=learner).delete()
