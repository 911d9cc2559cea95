"""The agreement (porozumienie) between an organisation and a volunteer for one offer.

One agreement covers every shift of the offer the volunteer is accepted for (an engagement).
Its text is a snapshot taken when it is generated: the template's sections resolved in the
volunteer's language, with the template's version, so an accepted text never changes under the
parties. A later edit of the template gives new agreements a new version.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, TimestampMixin, enum_type, utcnow
from app.organisations.models import Organisation
from app.volunteering.models import Opportunity, Signup

# Agreements for longer than this many days must be concluded in writing (art. 44).
WRITTEN_AFTER_DAYS = 30


class AgreementTemplate(TimestampMixin, Base):
    """An organisation's own wording of the agreement's sections; an empty section uses the
    default text. ``version`` grows with every saved change."""

    __tablename__ = "volunteering_agreement_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    rights_duties: Mapped[str] = mapped_column(sa.Text, default="")
    health_safety: Mapped[str] = mapped_column(sa.Text, default="")
    costs: Mapped[str] = mapped_column(sa.Text, default="")
    termination: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()


class Agreement(TimestampMixin, Base):
    __tablename__ = "volunteering_agreements"
    __table_args__ = (sa.UniqueConstraint("opportunity_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_opportunities.id", ondelete="CASCADE"), index=True
    )
    # NULL once the volunteer's account is deleted (the organisation keeps the anonymous record).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    volunteer_name: Mapped[str] = mapped_column(sa.String(120))
    # A guest's (micro-volunteering without an account) agreement hangs on the sign-up.
    guest_signup_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("volunteering_signups.id", ondelete="SET NULL"), unique=True
    )
    # Under 13 the guardian concludes the agreement on the child's behalf.
    guardian_is_party: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    guardian_name: Mapped[str | None] = mapped_column(sa.String(120))
    language: Mapped[str] = mapped_column(sa.String(5), default="pl")
    template_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The sections' text as generated (scope, manner, time, health_safety, ...).
    sections: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    period_start: Mapped[date]
    period_end: Mapped[date]
    written_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    volunteer_accepted_at: Mapped[datetime | None]
    volunteer_accepted_version: Mapped[int | None]
    costs_waived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    organisation_accepted_at: Mapped[datetime | None]
    organisation_accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The paper copy signed by both parties (required over 30 days): when, recorded by whom.
    written_signed_on: Mapped[date | None]
    written_recorded_at: Mapped[datetime | None]
    written_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    anonymised_at: Mapped[datetime | None]

    opportunity: Mapped[Opportunity] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation_accepted_by: Mapped[User | None] = relationship(
        foreign_keys=[organisation_accepted_by_id]
    )
    written_recorded_by: Mapped[User | None] = relationship(foreign_keys=[written_recorded_by_id])

    @property
    def organisation(self) -> Organisation:
        return self.opportunity.organisation

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def accepted_by_volunteer(self) -> bool:
        return self.volunteer_accepted_at is not None

    @property
    def accepted_by_organisation(self) -> bool:
        return self.organisation_accepted_at is not None

    @property
    def concluded(self) -> bool:
        """Both parties agreed online (and, where the law asks for writing, it is signed)."""
        online = self.accepted_by_volunteer and self.accepted_by_organisation
        return online and (not self.written_required or self.written_signed_on is not None)

    def in_force_on(self, day: date) -> bool:
        """May the volunteer serve on ``day``: over 30 days only once the signed paper
        agreement is dated on or before that day."""
        if self.written_required:
            return self.written_signed_on is not None and self.written_signed_on <= day
        return True

    def __repr__(self) -> str:
        return f"<Agreement {self.id} opportunity={self.opportunity_id} user={self.user_id}>"


class KeptSignup(Base):
    """A sign-up whose hours stay with the engagement after the volunteer erased their account:
    the sign-up loses its link to the person (``Signup.user_id``), this row keeps it on the
    agreement, so grant settlements already reported keep their totals (no personal data here:
    the sign-up is anonymised, the agreement follows its own retention)."""

    __tablename__ = "volunteering_kept_signups"

    signup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_signups.id", ondelete="CASCADE"), primary_key=True
    )
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_agreements.id", ondelete="CASCADE"), index=True
    )


class ConsentDecision(enum.StrEnum):
    CONSENTED = "consented"
    DECLINED = "declined"


class GuardianConsent(Base):
    """A minor's guardian asked for consent: by a one-time e-mail link (only the token's hash
    is kept; it expires and works once) or on paper (the organisation marks it received)."""

    __tablename__ = "volunteering_guardian_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_signups.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    guardian_name: Mapped[str] = mapped_column(sa.String(120))
    guardian_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    decision: Mapped[ConsentDecision | None] = mapped_column(enum_type(ConsentDecision))
    paper_received_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    signup: Mapped[Signup] = relationship()


class TimesheetEntry(Base):
    """A line of the volunteer's time sheet (karta pracy) for a flexible or remote offer: the
    day, the hours and what was done; the organisation confirms it or corrects the hours."""

    __tablename__ = "volunteering_timesheet_entries"
    __table_args__ = (
        sa.CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),
        sa.CheckConstraint(
            "confirmed_hours IS NULL OR (confirmed_hours >= 0 AND confirmed_hours <= 24)",
            name="confirmed_hours_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_agreements.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(index=True)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    description: Mapped[str] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    correction_note: Mapped[str] = mapped_column(sa.String(300), default="")

    agreement: Mapped[Agreement] = relationship()
    confirmed_by: Mapped[User | None] = relationship()

    @property
    def counted_hours(self) -> Decimal:
        """What the entry counts towards the day's limit: the confirmed figure once there is one."""
        return self.confirmed_hours if self.confirmed_hours is not None else self.hours

    @property
    def corrected(self) -> bool:
        return self.confirmed_hours is not None and self.confirmed_hours != self.hours


class ChildProtectionStandards(TimestampMixin, Base):
    """The organisation's adopted standards of protecting minors (required since 2024), linked
    from its profile."""

    __tablename__ = "volunteering_child_protection_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(sa.String(500))
    adopted_on: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class RegisterCheck(Base):
    """That the organisation checked the register of sex offenders for a volunteer before work
    with children (art. 21 of the act of 13 May 2016): the date and who checked - never the
    result, which is not stored anywhere."""

    __tablename__ = "volunteering_register_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date]
    checked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])


class Opinion(TimestampMixin, Base):
    """A written opinion on the volunteer's services, which the organisation issues on the
    volunteer's request (art. 44 ust. 5)."""

    __tablename__ = "volunteering_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    volunteer_name: Mapped[str] = mapped_column(sa.String(120))
    language: Mapped[str] = mapped_column(sa.String(5), default="pl")
    request_note: Mapped[str] = mapped_column(sa.String(500), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    written_at: Mapped[datetime | None]
    written_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    written_by: Mapped[User | None] = relationship(foreign_keys=[written_by_id])
