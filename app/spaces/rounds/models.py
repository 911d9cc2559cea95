"""A round (nabór) over chosen spaces of one provider for a term, the organisations'
applications with their activities (room wishes, weekday time ranges), and the allocations
staff make on the board.

Status flow: draft → open (applications accepted) → allocating (applications closed, the
board) → results_sent (series generated, applicants mailed). ``allocating`` may go back to
``open`` (reopened) until the results are sent. While a round is open or allocating, direct
bookings of its spaces inside its weekday windows and season are refused (``holds``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_type
from app.timeutil import local_today

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.organisations.models import Organisation
    from app.spaces.models import BookingSeries, Provider, Space


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ALLOCATING = "allocating"
    RESULTS_SENT = "results_sent"


# The statuses in which a round holds its spaces' windows against direct bookings.
HOLDING_STATUSES = (RoundStatus.OPEN, RoundStatus.ALLOCATING)


class TermKind(enum.StrEnum):
    SCHOOL_YEAR = "school_year"
    SEMESTER = "semester"


class AgeGroup(enum.StrEnum):
    CHILDREN = "children"
    YOUTH = "youth"
    ADULTS = "adults"
    SENIORS = "seniors"
    MIXED = "mixed"


class Priority(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class AllocationRound(TimestampMixin, Base):
    __tablename__ = "allocation_rounds"
    __table_args__ = (
        sa.CheckConstraint("season_starts_on <= season_ends_on", name="season_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    term_kind: Mapped[TermKind] = mapped_column(enum_type(TermKind))
    season_starts_on: Mapped[date]
    season_ends_on: Mapped[date]  # inclusive
    applications_close_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status: Mapped[RoundStatus] = mapped_column(
        enum_type(RoundStatus), default=RoundStatus.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    results_sent_at: Mapped[datetime | None]

    provider: Mapped[Provider] = relationship()
    round_spaces: Mapped[list[RoundSpace]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    windows: Mapped[list[RoundWindow]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        order_by="(RoundWindow.weekday, RoundWindow.starts)",
    )
    applications: Mapped[list[RoundApplication]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundApplication.id"
    )

    @property
    def spaces(self) -> list[Space]:
        return sorted((rs.space for rs in self.round_spaces), key=lambda s: s.name)

    @property
    def holds(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def deadline_passed(self) -> bool:
        """The applications' deadline (inclusive, Warsaw) is over; the round stays open (and
        holds its windows) until its managers close it, or move the deadline later."""
        return self.applications_close_on is not None and local_today() > self.applications_close_on

    @property
    def accepts_applications(self) -> bool:
        return self.status == RoundStatus.OPEN and not self.deadline_passed

    def __repr__(self) -> str:
        return f"<AllocationRound {self.id} {self.status}>"


class RoundSpace(Base):
    __tablename__ = "allocation_round_spaces"
    __table_args__ = (sa.UniqueConstraint("round_id", "space_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )

    round: Mapped[AllocationRound] = relationship(back_populates="round_spaces")
    space: Mapped[Space] = relationship()


class RoundWindow(Base):
    """A weekday window (Warsaw wall-clock) the round allocates, e.g. Monday 15:00–21:00."""

    __tablename__ = "allocation_round_windows"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]

    round: Mapped[AllocationRound] = relationship(back_populates="windows")


class RoundApplication(TimestampMixin, Base):
    """One organisation's application to a round (one per organisation, several activities)."""

    __tablename__ = "allocation_applications"
    __table_args__ = (sa.UniqueConstraint("round_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    contact: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    round: Mapped[AllocationRound] = relationship(back_populates="applications")
    organisation: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    activities: Mapped[list[RoundActivity]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="RoundActivity.id"
    )


class RoundActivity(Base):
    """One activity of an application (a section in Varaamo's terms)."""

    __tablename__ = "allocation_activities"
    __table_args__ = (
        sa.CheckConstraint("participants >= 1", name="participants_positive"),
        sa.CheckConstraint("sessions_per_week BETWEEN 1 AND 7", name="sessions_range"),
        sa.CheckConstraint(
            "min_minutes >= 15 AND min_minutes <= max_minutes", name="lengths_in_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_applications.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    participants: Mapped[int]
    age_group: Mapped[AgeGroup] = mapped_column(enum_type(AgeGroup))
    sessions_per_week: Mapped[int]
    min_minutes: Mapped[int]
    max_minutes: Mapped[int]

    application: Mapped[RoundApplication] = relationship(back_populates="activities")
    wishes: Mapped[list[RoomWish]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="RoomWish.rank"
    )
    time_ranges: Mapped[list[TimeRange]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="(TimeRange.priority, TimeRange.weekday, TimeRange.starts)",
    )
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="(Allocation.weekday, Allocation.start_time)",
    )


class RoomWish(Base):
    __tablename__ = "allocation_room_wishes"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "space_id"),
        sa.UniqueConstraint("activity_id", "rank"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_activities.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    rank: Mapped[int]

    activity: Mapped[RoundActivity] = relationship(back_populates="wishes")
    space: Mapped[Space] = relationship()


class TimeRange(Base):
    """When an activity may take place (Warsaw wall-clock), primary or secondary wish."""

    __tablename__ = "allocation_time_ranges"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_activities.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]
    priority: Mapped[Priority] = mapped_column(enum_type(Priority))

    activity: Mapped[RoundActivity] = relationship(back_populates="time_ranges")


class Allocation(Base):
    """A weekly slot staff gave an activity: one weekday, one space, Warsaw wall-clock times.
    ``series`` is set when the round's bookings are generated."""

    __tablename__ = "allocations"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("start_time < end_time", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_activities.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    start_time: Mapped[time]
    end_time: Mapped[time]
    allocated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("booking_series.id", ondelete="SET NULL")
    )
    # Dates left out when the series was generated, one "date: reason" per line.
    skipped_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    activity: Mapped[RoundActivity] = relationship(back_populates="allocations")
    space: Mapped[Space] = relationship()
    series: Mapped[BookingSeries | None] = relationship()
