from accounts.models import User

from .models import Actor, Statement


def records_delete(*, learner: User) -> None:
    """The learner's outbox and name (the account is being deleted): what was not sent is never sent.
    What the LRS already holds is the organisation's to delete."""
    Statement.objects.filter(learner=learner).delete()
    Actor.objects.filter(learner=learner).delete()
