"""An organisation's grants (dotacje) and the rate tables that value volunteers' work in them.

A grant has a name, the competition it was won in, its period and a rate table: one hourly rate
per kind of work (e.g. auxiliary work at the minimum hourly rate, specialist work at a market
rate), each with the source the organisation can show a controller. An engagement (the
agreement of one volunteer for one offer) is assigned to one grant and one kind of work; its
confirmed hours within the grant's period are the grant's wkład osobowy. One engagement counts
in one grant only (unique), so the same hours never appear in two settlements.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, utcnow
from app.organisations.models import Organisation
from app.volunteering.agreements.models import Agreement


class Grant(TimestampMixin, Base):
    __tablename__ = "volunteering_grants"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    competition: Mapped[str] = mapped_column(sa.String(300), default="")
    agreement_number: Mapped[str] = mapped_column(sa.String(100), default="")
    period_start: Mapped[date]
    period_end: Mapped[date]

    organisation: Mapped[Organisation] = relationship()
    rates: Mapped[list[GrantRate]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="GrantRate.id"
    )


class GrantRate(Base):
    """One line of a grant's rate table: a kind of work and its value of an hour."""

    __tablename__ = "volunteering_grant_rates"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "kind"),
        sa.CheckConstraint("hourly_rate >= 0", name="rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_grants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(120))
    hourly_rate: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    source: Mapped[str] = mapped_column(sa.String(500), default="")

    grant: Mapped[Grant] = relationship(back_populates="rates")


class GrantAssignment(Base):
    """An engagement's confirmed hours count in this grant as this kind of work."""

    __tablename__ = "volunteering_grant_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_grants.id", ondelete="CASCADE"), index=True
    )
    # One grant per engagement: the same hours are never settled twice.
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_agreements.id", ondelete="CASCADE"), unique=True
    )
    rate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_grant_rates.id", ondelete="CASCADE"), index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    grant: Mapped[Grant] = relationship()
    agreement: Mapped[Agreement] = relationship()
    rate: Mapped[GrantRate] = relationship()
