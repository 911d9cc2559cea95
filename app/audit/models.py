from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class AuditEvent(Base):
    """One recorded action: who (``actor``; None for the system or a deleted account, then
    ``actor_deleted`` tells which), what (``action`` with a short ``details``), when, and whom
    or what it concerns (a person, an organisation, a provider). Booking decisions keep their
    own history per occurrence (``BookingStatusChange``)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_at", "at"),
        sa.Index("ix_audit_events_organisation", "organisation_id", "at"),
        sa.Index("ix_audit_events_provider", "provider_id", "at"),
        sa.Index("ix_audit_events_subject", "subject_user_id", "at"),
        sa.Index("ix_audit_events_actor", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    subject_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    provider_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="SET NULL")
    )
    details: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
