"""Providers, spaces (rooms and lendable equipment), their availability and terms, bookings.

Bookings are a *series* (what the NGO asked for: purpose, people, recurrence) with *occurrences*
(``Booking``: one concrete slot each, with a stable id used as the iCal UID and a ``sequence``
change counter). Every status change of an occurrence is written to ``booking_status_changes``.

Which statuses hold a slot is stated once, in ``SLOT_HOLDING_STATUSES``; the PostgreSQL
exclusion constraint (migration ``0005_spaces.py``) and every overlap query use it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.db import Base, TimestampMixin, enum_type, utcnow

# Day-to-day operations (on behalf, reminders, no-show rule): columns from mixins, bans.
from app.spaces.operations_models import (  # noqa: F401 (SpaceBan: re-exported)
    BookingReminder,
    ProviderRules,
    SeriesEntry,
    SpaceBan,
)

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.organisations.models import Organisation


def comparable_name(name: str) -> str:
    """What makes two names the same: case and surrounding or repeated spaces do not count.
    Kept in a column with a unique constraint rather than an index on ``lower(name)``: SQLite's
    ``lower()`` folds only ASCII (``Łąka`` and ``łąka`` would differ) and SQLite cannot
    reflect expression indexes (so migrations could not be checked against the models)."""
    return " ".join((name or "").split()).casefold()


class ProviderKind(enum.StrEnum):
    SCHOOL = "school"
    ACTIVITY_CENTRE = "activity_centre"  # CAL 2.Piętro
    CITY_UNIT = "city_unit"  # ZGM premises, TAK equipment, ...
    NGO = "ngo"


class Provider(ProviderRules, TimestampMixin, Base):
    """Someone who lends spaces or equipment: a school, CAL, a city unit or an NGO."""

    __tablename__ = "providers"
    # Names are unique case-insensitively (migration 0009_spaces_unique_names): the constraint on ``name_key``
    # refuses a duplicate, whoever writes.
    UNIQUE_NAME = "uq_providers_name_key"
    __table_args__ = (sa.UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_key: Mapped[str] = mapped_column(sa.String(300))  # ``comparable_name(name)``
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[ProviderKind] = mapped_column(enum_type(ProviderKind))
    # An NGO sharing its own premises is a provider backed by an organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    # Requests from verified NGOs are approved at once (when the slot is free). A space may override.
    auto_approve_verified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    organisation: Mapped[Organisation | None] = relationship()
    managers: Mapped[list[ProviderManager]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    spaces: Mapped[list[Space]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="Space.name"
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="Closure.starts_on"
    )

    @validates("name")
    def _keep_name_key(self, _key, value: str) -> str:
        self.name_key = comparable_name(value)
        return value

    def __repr__(self) -> str:
        return f"<Provider {self.id} {self.slug}>"


class ProviderManager(TimestampMixin, Base):
    __tablename__ = "provider_managers"
    __table_args__ = (sa.UniqueConstraint("provider_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    provider: Mapped[Provider] = relationship(back_populates="managers")
    user: Mapped[User] = relationship(back_populates="provider_roles")


class SpaceKind(enum.StrEnum):
    ROOM = "room"  # one booking at a time (exclusion constraint)
    EQUIPMENT = "equipment"  # lent in quantities up to the stock


class TermsKind(enum.StrEnum):
    FREE = "free"
    FEE = "fee"
    BARTER = "barter"


class Space(TimestampMixin, Base):
    __tablename__ = "spaces"
    __table_args__ = (
        sa.CheckConstraint("stock >= 1", name="stock_positive"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        sa.CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL)"
            " AND (latitude IS NULL OR latitude BETWEEN -90 AND 90)"
            " AND (longitude IS NULL OR longitude BETWEEN -180 AND 180)",
            name="coordinates_wgs84",
        ),
        # A space's name is unique within its provider, case-insensitively (migration 0009_spaces_unique_names).
        sa.UniqueConstraint("provider_id", "name_key"),
        # The catalogue's order (migration 0020).
        sa.Index("ix_spaces_name_id", "name", "id"),
    )
    UNIQUE_NAME = "uq_spaces_provider_id_name_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(140), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200))  # ``comparable_name(name)``
    kind: Mapped[SpaceKind] = mapped_column(enum_type(SpaceKind), default=SpaceKind.ROOM)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    capacity: Mapped[int | None]
    area_m2: Mapped[int | None]
    floor: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    district: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    house_rules: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    photo_url: Mapped[str | None] = mapped_column(sa.String(500))
    # How many pieces can be lent (equipment); a room has stock 1.
    stock: Mapped[int] = mapped_column(default=1, server_default="1")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    hidden_at: Mapped[datetime | None] = mapped_column(index=True)  # by staff (app/moderation)
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))  # WGS84, where known

    # Booking rules.
    min_notice_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    max_length_minutes: Mapped[int] = mapped_column(default=240, server_default="240")
    max_days_ahead: Mapped[int] = mapped_column(default=180, server_default="180")
    buffer_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    # Equipment lent over several days: picked up one day, returned up to this many days later
    # (0: the same day only, within ``max_length_minutes``).
    max_loan_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # None: follow the provider's switch.
    auto_approve_verified: Mapped[bool | None]

    # Terms.
    terms: Mapped[TermsKind] = mapped_column(enum_type(TermsKind), default=TermsKind.FREE)
    fee_normal: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))  # PLN per hour
    fee_ngo: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    barter_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Hours of activities the NGO owes per hour of use (barter).
    barter_hours_per_hour: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))

    provider: Mapped[Provider] = relationship(back_populates="spaces")
    features: Mapped[list[SpaceFeature]] = relationship(
        back_populates="space", cascade="all, delete-orphan"
    )
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="space",
        cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="space", cascade="all, delete-orphan"
    )

    @classmethod
    def listed(cls):  # SQL: active and not hidden by staff, what the public sees
        return sa.and_(cls.active.is_(True), cls.hidden_at.is_(None))

    @property
    def is_room(self) -> bool:
        return self.kind == SpaceKind.ROOM

    @property
    def feature_codes(self) -> set[str]:
        return {f.code for f in self.features}

    @property
    def auto_approves_verified(self) -> bool:
        if self.auto_approve_verified is not None:
            return self.auto_approve_verified
        return self.provider.auto_approve_verified

    @validates("name")
    def _keep_name_key(self, _key, value: str) -> str:
        self.name_key = comparable_name(value)
        return value

    def __repr__(self) -> str:
        return f"<Space {self.id} {self.slug}>"


class SpaceFeature(Base):
    """One piece of equipment or one accessibility feature of a space (codes in ``vocab``)."""

    __tablename__ = "space_features"
    __table_args__ = (sa.UniqueConstraint("space_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40), index=True)

    space: Mapped[Space] = relationship(back_populates="features")


class OpeningHours(Base):
    """Open from ``opens`` to ``closes`` (Warsaw wall-clock) on ``weekday`` (0 = Monday).
    Several rows per weekday are allowed (e.g. mornings and evenings)."""

    __tablename__ = "space_opening_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]

    space: Mapped[Space] = relationship(back_populates="opening_hours")


class ClosureReason(enum.StrEnum):
    SCHOOL_HOLIDAY = "school_holiday"
    PUBLIC_HOLIDAY = "public_holiday"
    RENOVATION = "renovation"
    OTHER = "other"


class Closure(Base):
    """Days (inclusive) when a space, or every space of a provider, is closed."""

    __tablename__ = "space_closures"
    __table_args__ = (
        sa.CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
        sa.CheckConstraint("(space_id IS NULL) <> (provider_id IS NULL)", name="space_or_provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[ClosureReason] = mapped_column(enum_type(ClosureReason))
    note: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    provider: Mapped[Provider | None] = relationship(back_populates="closures")
    space: Mapped[Space | None] = relationship(back_populates="closures")


class Recurrence(enum.StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"  # every two weeks: school A/B weeks


class BookingStatus(enum.StrEnum):
    PENDING = "pending"  # asked, waiting for the provider
    APPROVED = "approved"  # confirmed: holds the slot
    DECLINED = "declined"  # the provider said no
    CANCELLED = "cancelled"  # withdrawn by either side
    SKIPPED = "skipped"  # left out when requested (conflict or closure); can be re-added
    RELEASED = "released"  # not re-confirmed for the new term; slot given back
    NO_SHOW = "no_show"  # approved but not used (marked by the provider)


# THE one place that says which statuses hold a slot. The exclusion constraint in migration
# Migration 0005_spaces.py and every availability query are built from this tuple.
SLOT_HOLDING_STATUSES: tuple[BookingStatus, ...] = (BookingStatus.APPROVED, BookingStatus.NO_SHOW)
OPEN_STATUSES = (BookingStatus.PENDING, *SLOT_HOLDING_STATUSES)
MOVABLE_STATUSES = (BookingStatus.PENDING, BookingStatus.APPROVED)
READDABLE_STATUSES = (BookingStatus.SKIPPED, BookingStatus.CANCELLED, BookingStatus.RELEASED)


def slot_holding_sql() -> str:
    """``status IN (...)`` for hand-written SQL (the exclusion constraint's WHERE clause)."""
    return "status IN (" + ", ".join(f"'{s.value}'" for s in SLOT_HOLDING_STATUSES) + ")"


# --- school terms: standing bookings are re-confirmed each term ------------------------------


def term_of(day: date) -> str:
    """School terms: winter (September–January) and summer (February–August)."""
    if day.month >= 9:
        return f"{day.year}-Z"
    if day.month == 1:
        return f"{day.year - 1}-Z"
    return f"{day.year}-L"


def term_bounds(term: str) -> tuple[date, date]:
    year, half = int(term[:4]), term[-1]
    if half == "Z":
        return date(year, 9, 1), date(year + 1, 1, 31)
    return date(year, 2, 1), date(year, 8, 31)


class BookingSeries(SeriesEntry, TimestampMixin, Base):
    """What an organisation asked for: one slot or a weekly / fortnightly pattern."""

    __tablename__ = "booking_series"
    __table_args__ = (
        sa.CheckConstraint("people >= 1", name="people_positive"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        # Only the provider's own use has no organisation.
        sa.CheckConstraint(
            "own_use OR organisation_id IS NOT NULL", name="organisation_or_own_use"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    # NULL only for the provider's own use (``own_use``).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.Text)
    people: Mapped[int] = mapped_column(default=1)
    quantity: Mapped[int] = mapped_column(default=1, server_default="1")
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    public_title: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    recurrence: Mapped[Recurrence] = mapped_column(enum_type(Recurrence), default=Recurrence.ONCE)
    first_day: Mapped[date]
    until: Mapped[date | None]  # inclusive
    count: Mapped[int | None]
    start_time: Mapped[time]  # Warsaw wall-clock, kept across DST
    end_time: Mapped[time]
    # Equipment over several days: returned ``loan_days`` after the pick-up day, at ``end_time``.
    loan_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # Standing bookings are re-confirmed each term (``service.terms``; ``term_of``).
    confirmed_term: Mapped[str | None] = mapped_column(sa.String(10))
    reconfirm_deadline: Mapped[date | None]
    # A round's series is bookable to the round's season end, beyond the space's horizon.
    horizon_until: Mapped[date | None]

    space: Mapped[Space] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    requested_by: Mapped[User | None] = relationship()
    occurrences: Mapped[list[Booking]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="Booking.starts_at"
    )

    @property
    def is_recurring(self) -> bool:
        return self.recurrence != Recurrence.ONCE


class Booking(BookingReminder, Base):
    """One occurrence of a series: a concrete slot. Its id is the iCal UID; ``sequence`` counts
    changes so calendar clients update the right event."""

    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.CheckConstraint("ends_at <= blocked_until", name="buffer_after_end"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.Index("ix_bookings_space_time", "space_id", "starts_at"),
        # "Which rooms are taken at this time?" across all spaces (venue matching).
        sa.Index("ix_bookings_starts_at", "starts_at"),
        # What holds a room's slots from a moment on (slot_holders: ``blocked_until > first``),
        # without reading the room's whole history (migration 0020).
        sa.Index("ix_bookings_space_blocked", "space_id", "blocked_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking_series.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the series so the exclusion constraint can use it.
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    # Rooms are exclusive (one booking at a time); equipment is shared up to the stock.
    exclusive: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    quantity: Mapped[int] = mapped_column(default=1, server_default="1")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # ends_at + the space's buffer at the time of booking: the slot is held until then.
    blocked_until: Mapped[datetime]
    status: Mapped[BookingStatus] = mapped_column(
        enum_type(BookingStatus), default=BookingStatus.PENDING, index=True
    )
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    status_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[BookingSeries] = relationship(back_populates="occurrences")
    space: Mapped[Space] = relationship()
    history: Mapped[list[BookingStatusChange]] = relationship(
        back_populates="booking",
        cascade="all, delete-orphan",
        order_by="BookingStatusChange.id",
    )

    @classmethod
    def for_slot(
        cls,
        space: Space,
        starts_at: datetime,
        ends_at: datetime,
        status: BookingStatus,
        *,
        series: BookingSeries | None = None,
        quantity: int = 1,
        reason: str = "",
    ) -> Booking:
        """A new occurrence of ``space`` from ``starts_at`` to ``ends_at`` (see ``place``)."""
        booking = cls(series=series, quantity=quantity, status=status, status_reason=reason)
        booking.place(space, starts_at, ends_at)
        return booking

    def place(self, space: Space, starts_at: datetime, ends_at: datetime) -> None:
        """The one place the slot invariant is written: a room is exclusive, equipment is shared
        up to the stock, and the slot is held until the space's buffer after the end has passed
        (the buffer at the time of booking, moving or re-adding)."""
        self.space = space
        self.exclusive = space.kind == SpaceKind.ROOM
        self.starts_at, self.ends_at = starts_at, ends_at
        self.blocked_until = ends_at + timedelta(minutes=space.buffer_minutes)

    # What may be done with an occurrence: asked by the templates (which buttons to show) and
    # by the service (which refuses anything else), so the two never disagree.

    @property
    def holds_slot(self) -> bool:
        return self.status in SLOT_HOLDING_STATUSES

    @property
    def can_move(self) -> bool:
        return self.status in MOVABLE_STATUSES

    @property
    def can_readd(self) -> bool:
        # Not DECLINED: that was the provider's decision, a new request is a new series.
        return self.status in READDABLE_STATUSES

    def can_cancel(self, now: datetime | None = None) -> bool:
        return self.status in OPEN_STATUSES and self.ends_at > (now or utcnow())

    def can_mark_no_show(self, now: datetime | None = None) -> bool:
        """Only an approved occurrence that has begun (an instant, so no day boundaries to
        convert between UTC and Warsaw time)."""
        return self.status == BookingStatus.APPROVED and self.starts_at <= (now or utcnow())

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def __repr__(self) -> str:
        return f"<Booking {self.id} {self.space_id} {self.starts_at:%Y-%m-%d %H:%M} {self.status}>"


class BookingStatusChange(Base):
    """Audit trail: who changed an occurrence's status, when, from what to what, and why."""

    __tablename__ = "booking_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # RODO: the actor deleted their account ("osoba usunięta"); no actor, no flag: the system.
    actor_deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[BookingStatus | None] = mapped_column(
        enum_type(BookingStatus, name="from_status")
    )
    to_status: Mapped[BookingStatus] = mapped_column(enum_type(BookingStatus, name="to_status"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    booking: Mapped[Booking] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


# The barter ledger (its own module, on the same metadata).
from app.spaces.barter_models import BarterDelivery  # noqa: E402,F401

# Rooms that combine (issue 16 item 7): their own module, on the same metadata.
from app.spaces.combined_models import SpaceOccupancy, SpacePart  # noqa: E402,F401
