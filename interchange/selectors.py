from accounts.models import User

from .models import Actor, Statement


def records_export(*, learner: User) -> dict:
    """For "Download my data": the name the learner goes by in learning records, and the statements
    the platform holds about them (waiting, or sent in the last days), as sent. Two queries."""
    actor = Actor.objects.filter(learner=learner).first()
    statements = Statement.objects.filter(learner=learner).order_by("created_at")
    return {
        "name": str(actor.name) if actor else None,
        "statements": [
            {"status": row.status, "sent_at": row.sent_at, "statement": row.payload}
            for row in statements.only("status", "sent_at", "payload")
        ],
    }
