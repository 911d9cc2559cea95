"""The audit trail in a person's RODO export and erasure."""

from __future__ import annotations

from app.audit import service
from app.audit.models import AuditEvent
from app.extensions import db


def export_audit(user) -> dict:
    entries = service.events(service.Filter(person_id=user.id), limit=10_000)
    return {
        "audit_trail": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "as": "actor" if e.actor_id == user.id else "concerned",
                "details": e.details,
            }
            for e in entries
        ]
    }


def erase_audit_identity(user) -> None:
    """The entries stay (organisations keep their history) without the person: as actor they
    read "osoba usunięta"; the deletion itself is recorded, without any identity."""
    service.forget_actor(user)
    db.session.add(AuditEvent(action="account.deleted", actor_id=None, actor_deleted=True))
