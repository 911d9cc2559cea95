"""Rooms that combine: which smallest spaces a combined room is made of, and the occupancy rows
the database writes for every slot-holding room booking (migration 0025_combined_spaces)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class SpacePart(Base):
    """A combined room and one of the smallest spaces it consists of: "Sala A+B" has the parts
    "Sala A" and "Sala B". A room without parts is its own smallest space. Parts are smallest
    spaces themselves (one level), so a booking of any room occupies a known set of them."""

    __tablename__ = "space_parts"
    __table_args__ = (
        sa.UniqueConstraint("whole_id", "part_id"),
        sa.CheckConstraint("whole_id <> part_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    whole_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True)


class SpaceOccupancy(Base):
    """What a slot-holding room booking occupies: one row per smallest space (a booking of
    A+B has a row for A and one for B). Written only by database triggers on ``bookings``
    (migration 0025_combined_spaces), whoever changes a booking; no two rows of one smallest
    space overlap (PostgreSQL: exclusion constraint ``ex_space_occupancies_no_overlap``;
    SQLite: a trigger raising the same name). Read-only for the application."""

    __tablename__ = "space_occupancies"
    NO_OVERLAP = "ex_space_occupancies_no_overlap"
    __table_args__ = (sa.Index("ix_space_occupancies_unit_time", "unit_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    blocked_until: Mapped[datetime]
