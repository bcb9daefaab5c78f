from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import User
from courses.models import Module

from .models import ModuleProgress, Status


@dataclass(frozen=True)
class CourseProgress:
    statuses: dict[int, Status]
    continue_module: Module | None
    started: bool
    done: int
    total: int


def course_progress(*, learner: User, modules: Sequence[Module]) -> CourseProgress:
    """Each module's status, and where to continue: the module opened last,
    or when that one is done the first module after it not yet done."""
    rows = list(ModuleProgress.objects.filter(learner=learner).only("module_id", "last_seen_at", "completed_at"))
    statuses = {module.pk: Status.NOT_STARTED for module in modules}
    statuses.update({row.module_id: row.status for row in rows})
    last = max(rows, key=lambda row: row.last_seen_at, default=None)
    return CourseProgress(
        statuses=statuses,
        continue_module=_continue(modules, statuses, last),
        started=last is not None,
        done=sum(status == Status.DONE for status in statuses.values()),
        total=len(modules),
    )


def _continue(modules: Sequence[Module], statuses: dict[int, Status], last: ModuleProgress | None) -> Module | None:
    """The module opened last unless it is done; then the next one not done (from the start if none yet)."""
    ids = [module.pk for module in modules]
    start = ids.index(last.module_id) if last and last.module_id in ids else 0
    for module in list(modules[start:]) + list(modules[:start]):
        if statuses[module.pk] != Status.DONE:
            return module
    return None


def module_status(*, learner: User, module: Module) -> Status:
    row = ModuleProgress.objects.filter(learner=learner, module=module).only("completed_at").first()
    return row.status if row else Status.NOT_STARTED
