"""An organisation's grants (dotacje) and the rate tables that value volunteers' work in them.

A grant has a name, the competition it was won in, its period and a rate table: one hourly rate
per kind of work (e.g. auxiliary work at the minimum hourly rate, specialist work at a market
rate), each with the source the organisation can show a controller. A line may follow the
statutory minimum hourly rate: each hour is then valued at the rate in force on the day of the
work (``app.volunteering.minimum_rate``), so a grant across a new year needs no edit.

An engagement (the agreement of one volunteer for one offer) is assigned to a grant as a kind
of work, either whole (all its confirmed hours within the grant's period; then in no other
grant) or in parts (``hours``) spread over several grants, the parts never adding up to more
than its confirmed hours: the same hours never appear in two settlements. The parts' sum is
checked with the engagement's row locked; one grant holds an engagement once (unique).
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
    # Valued at the minimum hourly rate in force on each day of the work (``hourly_rate`` is
    # then only what the table shows for today).
    minimum_rate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    grant: Mapped[Grant] = relationship(back_populates="rates")


class GrantAssignment(Base):
    """An engagement's confirmed hours count in this grant as this kind of work."""

    __tablename__ = "volunteering_grant_assignments"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "agreement_id"),
        sa.CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_grants.id", ondelete="CASCADE"), index=True
    )
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_agreements.id", ondelete="CASCADE"), index=True
    )
    # NULL: the whole engagement (then its only assignment); a number: this part of its hours.
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
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
