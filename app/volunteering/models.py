"""Volunteering board: opportunities, their shifts, sign-ups (with an audit trail) and profiles.

Capacity is guarded by the database: ``shifts.taken`` counts the places held by pending and
accepted sign-ups, a CHECK keeps it between 0 and ``capacity``, and the service changes it only
with a guarded ``UPDATE ... WHERE taken < capacity`` inside a locked transaction.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.accounts.models import User
from app.db import Base, TimestampMixin, enum_type, utcnow
from app.organisations.models import Organisation
from app.timeutil import to_local
from app.volunteering.vocab import daypart_of_hour


class OpportunityKind(enum.StrEnum):
    ONE_OFF = "one_off"
    REGULAR = "regular"
    FLEXIBLE = "flexible"
    MICRO = "micro"


class OpportunityStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class OpportunityTagCode(enum.StrEnum):
    ACCESSIBLE = "accessible"
    INTERGENERATIONAL = "intergenerational"
    YOUTH = "youth"
    FAMILIES = "families"
    SENIORS = "seniors"
    SPORT = "sport"
    NEIGHBOURHOOD = "neighbourhood"


class SignupStatus(enum.StrEnum):
    PENDING = "pending"  # holds a place, waits for the organisation's answer
    ACCEPTED = "accepted"  # holds a place
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


HOLDING_STATUSES = (SignupStatus.PENDING, SignupStatus.ACCEPTED)
# Holding a place or waiting for one: what a withdrawal, a moved shift or a cancelled one touches.
ACTIVE_STATUSES = (*HOLDING_STATUSES, SignupStatus.WAITLISTED)


class Opportunity(TimestampMixin, Base):
    __tablename__ = "volunteering_opportunities"
    __table_args__ = (
        # The public list: published ones, newest or by title; the kind filter (migration 0020).
        sa.Index("ix_volunteering_opportunities_status_published", "status", "published_at"),
        sa.Index("ix_volunteering_opportunities_title_id", "title", "id"),
        sa.Index("ix_volunteering_opportunities_kind", "kind"),
        # The listed condition: published, with a shift ending after now (migration 0033).
        sa.Index("ix_volunteering_opportunities_status_shifts_end", "status", "shifts_end"),
        sa.Index("ix_volunteering_opportunities_updated_at", "updated_at"),  # public_version
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sphere: Mapped[str] = mapped_column(sa.String(40), index=True)
    kind: Mapped[OpportunityKind] = mapped_column(enum_type(OpportunityKind))
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_type(OpportunityStatus), default=OpportunityStatus.DRAFT, index=True
    )
    district: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    is_online: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    min_age: Mapped[int | None]
    skills: Mapped[str] = mapped_column(sa.String(500), default="")
    languages: Mapped[str] = mapped_column(sa.String(200), default="")
    # Sign-ups wait for the organisation's answer unless it accepts everyone (micro-volunteering).
    requires_approval: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    # After this day the offer leaves the public list even without shifts (flexible offers).
    valid_until: Mapped[date | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # Art. 46: up to 30 days the organisation insures volunteers against accidents (NNW).
    nnw_insurer: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    nnw_policy: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    nnw_statement: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    # Work with children: the register of sex offenders is checked before the first shift.
    works_with_children: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Hidden by city staff (app/moderation): out of every public list, feed and page.
    hidden_at: Mapped[datetime | None] = mapped_column(index=True)
    # Kept from the shifts for the public list (app/volunteering/listing.py, migration 0033).
    has_shifts: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    shifts_end: Mapped[datetime | None]
    next_start: Mapped[datetime | None]
    next_from: Mapped[datetime | None]
    next_until: Mapped[datetime | None] = mapped_column(index=True)

    organisation: Mapped[Organisation] = relationship()
    tags: Mapped[list[OpportunityTag]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", lazy="selectin"
    )
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="Shift.starts_at"
    )

    @property
    def tag_codes(self) -> list[str]:
        return sorted(tag.code.value for tag in self.tags)

    def set_tags(self, codes) -> None:
        wanted = {OpportunityTagCode(code) for code in codes}
        self.tags = [tag for tag in self.tags if tag.code in wanted]
        have = {tag.code for tag in self.tags}
        self.tags += [OpportunityTag(code=code) for code in sorted(wanted - have)]

    @property
    def nnw_recorded(self) -> bool:
        return bool(self.nnw_insurer.strip() or self.nnw_statement.strip())

    @property
    def is_published(self) -> bool:
        return self.status == OpportunityStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Published and not hidden by staff: what the public sees and can sign up to."""
        return self.is_published and self.hidden_at is None

    @classmethod
    def public(cls):
        """The SQL condition of ``is_public``."""
        return sa.and_(cls.status == OpportunityStatus.PUBLISHED, cls.hidden_at.is_(None))

    def upcoming_shifts(self, now: datetime | None = None) -> list[Shift]:
        now = now or utcnow()
        return [s for s in self.shifts if s.ends_at > now and s.cancelled_at is None]

    def card_shifts(self) -> list[Shift]:
        """What a list card shows: the next shift (none for an ongoing offer). The list loads it
        alone (``browse.load_next_shifts``); elsewhere it is the first of ``upcoming_shifts``."""
        loaded = self.__dict__.get("loaded_card_shifts")
        return loaded if loaded is not None else self.upcoming_shifts()[:1]

    def __repr__(self) -> str:
        return f"<Opportunity {self.id} {self.title!r}>"


class OpportunityTag(Base):
    __tablename__ = "volunteering_opportunity_tags"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[OpportunityTagCode] = mapped_column(
        enum_type(OpportunityTagCode), primary_key=True
    )

    opportunity: Mapped[Opportunity] = relationship(back_populates="tags")


class Shift(TimestampMixin, Base):
    __tablename__ = "volunteering_shifts"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("taken >= 0", name="taken_not_negative"),
        sa.CheckConstraint("taken <= capacity", name="taken_within_capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # "Upcoming shifts of these opportunities" (every list card, the listed condition).
        sa.Index("ix_volunteering_shifts_opportunity_ends", "opportunity_id", "ends_at"),
        # The public calendar's validator (calendar.public_version, migration 0033): index seeks.
        sa.Index("ix_volunteering_shifts_ends_at", "ends_at"),
        sa.Index("ix_volunteering_shifts_updated_at", "updated_at"),
        sa.Index(
            "ix_volunteering_shifts_cancelled_updated",
            "updated_at",
            sqlite_where=sa.text("cancelled_at IS NOT NULL"),
            postgresql_where=sa.text("cancelled_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_opportunities.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    # Places held by pending and accepted sign-ups (guarded by the CHECKs above).
    taken: Mapped[int] = mapped_column(default=0, server_default="0")
    # Warsaw weekday (0 = Monday) and part of the day of the start, kept for portable filtering.
    local_weekday: Mapped[int] = mapped_column(sa.SmallInteger, index=True)
    local_daypart: Mapped[str] = mapped_column(sa.String(10), index=True)
    # iCal SEQUENCE: bumped on every change a calendar should notice.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    cancelled_at: Mapped[datetime | None]

    opportunity: Mapped[Opportunity] = relationship(back_populates="shifts")
    signups: Mapped[list[Signup]] = relationship(
        back_populates="shift", cascade="all, delete-orphan", order_by="Signup.id"
    )

    @validates("starts_at")
    def _derive_local_fields(self, _key, value: datetime) -> datetime:
        local = to_local(value)
        self.local_weekday = local.weekday()
        self.local_daypart = daypart_of_hour(local.hour)
        return value

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def duration_hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))

    def __repr__(self) -> str:
        return f"<Shift {self.id} {self.starts_at:%Y-%m-%d %H:%M} {self.taken}/{self.capacity}>"


class Signup(TimestampMixin, Base):
    """A volunteer's application for one shift: an account holder or (micro-volunteering) a guest
    who left only a name, an e-mail and maybe a phone number."""

    __tablename__ = "volunteering_signups"
    __table_args__ = (
        sa.UniqueConstraint("shift_id", "user_id"),
        sa.UniqueConstraint("shift_id", "guest_email"),
        sa.UniqueConstraint("shift_id", "waitlist_position"),
        sa.CheckConstraint("hours IS NULL OR (hours >= 0 AND hours <= 24)", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_shifts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(sa.String(120))
    guest_email: Mapped[str | None] = mapped_column(sa.String(254))
    guest_phone: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[SignupStatus] = mapped_column(enum_type(SignupStatus), index=True)
    waitlist_position: Mapped[int | None]
    message: Mapped[str] = mapped_column(sa.String(1000), default="")
    # Under-18s: the guardian's consent is recorded with the sign-up.
    guardian_name: Mapped[str | None] = mapped_column(sa.String(120))
    guardian_contact: Mapped[str | None] = mapped_column(sa.String(254))
    guardian_consent_at: Mapped[datetime | None]
    # A pupil signed up with a school volunteering club (volunteering/groups.py).
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("volunteering_school_groups.id", ondelete="SET NULL"), index=True
    )
    # When the application started waiting for an answer, and when it got one.
    pending_since: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    response_message: Mapped[str] = mapped_column(sa.String(1000), default="")
    coming_confirmed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    organisation_reminded_at: Mapped[datetime | None]
    attended: Mapped[bool | None]
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    hours_confirmed_at: Mapped[datetime | None]
    # RODO: a deleted volunteer's sign-ups stay (hours count in grant reports) without their data.
    anonymised_at: Mapped[datetime | None]

    shift: Mapped[Shift] = relationship(back_populates="signups")
    user: Mapped[User | None] = relationship()
    events: Mapped[list[SignupEvent]] = relationship(
        back_populates="signup", cascade="all, delete-orphan", order_by="SignupEvent.id"
    )
    # The volunteer's profile (organisations see when its birth year changed).
    profile: Mapped[VolunteerProfile | None] = relationship(
        primaryjoin="foreign(Signup.user_id) == VolunteerProfile.user_id",
        viewonly=True,
        uselist=False,
    )

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.name
        return self.guest_name or "—"

    @property
    def email(self) -> str | None:
        return self.user.email if self.user is not None else self.guest_email

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def is_active(self) -> bool:
        """Holds a place or waits on the waitlist."""
        return self.status in ACTIVE_STATUSES

    @property
    def awaits_answer(self) -> bool:
        """The organisation may still answer: accept a pending one, decline either."""
        return self.status in (SignupStatus.PENDING, SignupStatus.WAITLISTED)

    @property
    def display_status(self) -> str:
        """The status as people read it: an accepted volunteer who did not come is a no-show,
        not "accepted" (``STATUS_LABELS`` in vocab)."""
        if self.status == SignupStatus.ACCEPTED and self.attended is False:
            return "no_show"
        return self.status.value

    def is_own(self, user) -> bool:
        """The sign-up of ``user`` (a member may apply to his own organisation's offer, but
        someone else answers and confirms his hours)."""
        return self.user_id is not None and user is not None and self.user_id == user.id

    def can_withdraw(self, now: datetime) -> bool:
        return self.is_active and self.shift.ends_at > now

    def can_confirm_coming(self, now: datetime) -> bool:
        return self.holds_place and self.shift.ends_at > now


def _status_enum(name: str) -> sa.Enum:
    """Two status columns in one table need differently named CHECK constraints."""
    column_type = enum_type(SignupStatus)
    column_type.name = name
    return column_type


class SignupEvent(Base):
    """Audit trail of a sign-up: who changed its status, when, from what, to what and why."""

    __tablename__ = "volunteering_signup_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_signups.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # RODO: the actor deleted their account (see BookingStatusChange.actor_deleted).
    actor_deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[SignupStatus | None] = mapped_column(_status_enum("signupstatus_from"))
    to_status: Mapped[SignupStatus] = mapped_column(_status_enum("signupstatus_to"))
    reason: Mapped[str] = mapped_column(sa.String(300), default="")

    signup: Mapped[Signup] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class VolunteerProfile(TimestampMixin, Base):
    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    birth_year: Mapped[int | None]
    # Set when a known birth year is changed (in the profile only); organisations see it.
    birth_year_changed_at: Mapped[datetime | None]
    interests: Mapped[list] = mapped_column(sa.JSON, default=list)  # sphere codes
    skills: Mapped[str] = mapped_column(sa.String(500), default="")
    languages: Mapped[str] = mapped_column(sa.String(200), default="")
    availability: Mapped[list] = mapped_column(sa.JSON, default=list)  # "5-morning", ...
    district: Mapped[str | None] = mapped_column(sa.String(40))
    accessibility_needs: Mapped[str] = mapped_column(sa.String(500), default="")
    digest_opt_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    last_digest_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


# Keeps the shift-derived columns of Opportunity in every flush (imported for its listener).
from app.volunteering import listing  # noqa: E402, F401
