"""The barter ledger: hours of activities an NGO delivered to a provider in return for space."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

if TYPE_CHECKING:
    from app.accounts.models import User


class BarterDelivery(Base):
    """Hours of activities an NGO delivered to a provider in return for space (barter)."""

    __tablename__ = "barter_deliveries"
    __table_args__ = (sa.CheckConstraint("hours > 0", name="hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    delivered_on: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    description: Mapped[str] = mapped_column(sa.String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # RODO: whoever recorded or withdrew the entry deleted their account ("osoba usunięta").
    recorded_by_deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    withdrawn_by_deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A wrong entry (a double submit, a typo) is withdrawn, never deleted: the ledger leaves
    # it out, the page still shows who withdrew it, when and why.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    withdrawn_reason: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
