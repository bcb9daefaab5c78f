"""Progress writes are single-statement upserts (INSERT ... ON CONFLICT DO UPDATE),
so concurrent requests never race on a read-then-write."""

from django.utils import timezone

from accounts.models import User
from courses.models import Module

from .models import ModuleProgress


def module_open(*, learner: User, module: Module) -> None:
    """Opening a module marks it in progress and makes it the one to continue."""
    now = timezone.now()
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at"],
    )


def module_complete(*, learner: User, module: Module) -> None:
    now = timezone.now()
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(learner=learner, module=module, started_at=now, last_seen_at=now, completed_at=now)],
        update_conflicts=True,
        unique_fields=["learner", "module"],
        update_fields=["last_seen_at", "completed_at"],
    )
