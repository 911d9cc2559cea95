"""Time sheets (karta pracy) for flexible and remote offers: the volunteer logs the day, the
hours and what was done; the organisation confirms or corrects the hours.

Nobody is credited more than a day holds: the volunteer's time-sheet hours of a day, with the
shift hours already confirmed for that day, never exceed 24. Entries of one engagement are
written one after another (the agreement row is locked first), so two tabs cannot together
pass the limit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.templating import number
from app.timeutil import local_to_utc, to_local
from app.volunteering.agreements.child_protection import require_check
from app.volunteering.agreements.models import Agreement, KeptSignup, TimesheetEntry
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    Shift,
    Signup,
    SignupStatus,
)

DAY_HOURS = Decimal(24)
_DAY_MARGIN = timedelta(days=1)  # Warsaw days vs UTC starts: look a day either side


def keeps_timesheet(opportunity: Opportunity) -> bool:
    return opportunity.kind == OpportunityKind.FLEXIBLE or opportunity.is_online


def _locked_agreement(agreement_id: int) -> Agreement:
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.id == agreement_id).with_for_update()
    )
    if agreement is None:
        raise DomainError(_("Nie ma takiego porozumienia."), status=404)
    db.session.refresh(agreement)
    return agreement


def _accepted_signups(agreement: Agreement) -> list[Signup]:
    return list(
        db.session.scalars(
            sa.select(Signup)
            .join(Shift)
            .where(
                Shift.opportunity_id == agreement.opportunity_id,
                Signup.user_id == agreement.user_id,
                Signup.status == SignupStatus.ACCEPTED,
            )
        )
    )


def hours_on(user_id: int, day: date, *, without: int | None = None) -> Decimal:
    """The hours already credited to the volunteer on ``day``: time-sheet entries of every
    engagement and confirmed shift hours (Warsaw days)."""
    entries = db.session.scalars(
        sa.select(TimesheetEntry)
        .join(Agreement)
        .where(Agreement.user_id == user_id, TimesheetEntry.day == day)
    )
    total = sum((e.counted_hours for e in entries if e.id != without), Decimal(0))
    shifts = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .where(
            Signup.user_id == user_id,
            Signup.hours_confirmed_at.is_not(None),
            Shift.starts_at >= _day_start(day) - _DAY_MARGIN,
            Shift.starts_at < _day_start(day) + _DAY_MARGIN * 2,
        )
    )
    for signup in shifts:
        if to_local(signup.shift.starts_at).date() == day and signup.hours:
            total += signup.hours
    return total


def _day_start(day: date) -> datetime:
    return local_to_utc(day, time(0, 0))


def _check_day(agreement: Agreement, day: date, hours: Decimal, now: datetime, without=None):
    if hours <= 0:
        raise DomainError(_("Podaj liczbę godzin większą od zera."), status=422, field="hours")
    if day > to_local(now).date():
        raise DomainError(
            _("Godziny wpisuje się po wykonaniu pracy, nie na zapas."), status=422, field="day"
        )
    if day < to_local(agreement.created_at).date():
        raise DomainError(
            _("Ten dzień jest sprzed porozumienia: karta pracy obejmuje czas od jego zawarcia."),
            status=422,
            field="day",
        )
    if not agreement.in_force_on(day):
        raise DomainError(
            _(
                "Ta współpraca trwa dłużej niż 30 dni: godziny liczą się od dnia podpisania porozumienia na piśmie (art. 44 ust. 4 ustawy)."
            ),
            status=409,
            field="day",
        )
    already = hours_on(agreement.user_id, day, without=without)
    if already + hours > DAY_HOURS:
        raise DomainError(
            _(
                "Tego dnia masz już %(done)s godz.: doba ma 24 godziny, więc można dopisać najwyżej %(left)s.",
                done=number(already),
                left=number(max(DAY_HOURS - already, Decimal(0))),
            ),
            status=422,
            field="hours",
        )


def log_hours(
    agreement_id: int, *, user: User, day: date, hours: Decimal, description: str, now=None
) -> TimesheetEntry:
    now = now or utcnow()
    agreement = _locked_agreement(agreement_id)
    if agreement.user_id != user.id:
        raise DomainError(_("To nie jest Twoje porozumienie."), status=403)
    if not keeps_timesheet(agreement.opportunity):
        raise DomainError(
            _(
                "Kartę pracy prowadzi się dla ofert elastycznych i zdalnych; tu godziny potwierdza organizacja po terminie."
            )
        )
    signups = _accepted_signups(agreement)
    if not signups:
        raise DomainError(_("Karta pracy jest dla przyjętych zgłoszeń."))
    if any(s.guardian_name is not None and s.guardian_consent_at is None for s in signups):
        raise DomainError(_("To zgłoszenie czeka na zgodę rodzica lub opiekuna."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Opisz, co zostało zrobione."), status=422, field="description")
    _check_day(agreement, day, hours, now)
    require_check(signups[0], day)
    entry = TimesheetEntry(
        agreement=agreement, day=day, hours=hours, description=description[:1000], created_at=now
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def confirm(entry_id: int, *, hours: Decimal | None, note: str, actor: User, now=None):
    """The organisation confirms the entry, or corrects its hours (0: not credited)."""
    now = now or utcnow()
    agreement_id = db.session.scalar(
        sa.select(TimesheetEntry.agreement_id).where(TimesheetEntry.id == entry_id)
    )
    if agreement_id is None:
        raise DomainError(_("Nie ma takiego wpisu."), status=404)
    agreement = _locked_agreement(agreement_id)
    entry = db.session.get(TimesheetEntry, entry_id)
    if agreement.user_id is not None and agreement.user_id == actor.id:
        raise DomainError(
            _("Nie możesz potwierdzić własnych godzin: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if entry.confirmed_at is not None:
        raise DomainError(_("Ten wpis jest już potwierdzony."))
    hours = entry.hours if hours is None else hours
    if hours < 0:
        raise DomainError(_("Liczba godzin nie może być ujemna."), status=422, field="hours")
    if hours > 0 and agreement.user_id is not None:
        _check_day(agreement, entry.day, hours, now, without=entry.id)
    if hours != entry.hours and not note.strip():
        raise DomainError(
            _("Poprawiając godziny, napisz krótko dlaczego."), status=422, field="note"
        )
    entry.confirmed_hours = hours
    entry.confirmed_at = now
    entry.confirmed_by_id = actor.id
    entry.correction_note = note.strip()[:300]
    db.session.flush()
    return entry


def entries_of(agreement: Agreement) -> list[TimesheetEntry]:
    return list(
        db.session.scalars(
            sa.select(TimesheetEntry)
            .where(TimesheetEntry.agreement_id == agreement.id)
            .order_by(TimesheetEntry.day, TimesheetEntry.id)
        )
    )


def unconfirmed_of(organisation_id: int) -> list[TimesheetEntry]:
    return list(
        db.session.scalars(
            sa.select(TimesheetEntry)
            .join(Agreement)
            .join(Opportunity)
            .where(
                Opportunity.organisation_id == organisation_id,
                TimesheetEntry.confirmed_at.is_(None),
            )
            .order_by(TimesheetEntry.day, TimesheetEntry.id)
        )
    )


def confirmed_total(agreement: Agreement) -> Decimal:
    return sum(
        (e.confirmed_hours for e in entries_of(agreement) if e.confirmed_hours is not None),
        Decimal(0),
    )


def engagement_signups(agreement: Agreement):
    """The condition on sign-ups (joined with their shifts) whose work belongs to the
    engagement: the volunteer's sign-ups in the agreement's offer, a guest's own sign-up, and
    the sign-ups kept with the agreement after the volunteer erased their account."""
    whose = [
        Signup.id.in_(
            sa.select(KeptSignup.signup_id).where(KeptSignup.agreement_id == agreement.id)
        )
    ]
    if agreement.user_id is not None:
        whose.append(Signup.user_id == agreement.user_id)
    if agreement.guest_signup_id is not None:
        whose.append(Signup.id == agreement.guest_signup_id)
    return sa.and_(Shift.opportunity_id == agreement.opportunity_id, sa.or_(*whose))


def confirmed_signups(agreement: Agreement, first=None, last=None) -> list[Signup]:
    """The engagement's sign-ups with confirmed hours, of shifts starting from ``first`` to
    before ``last`` (UTC moments; None: no bound), in time order."""
    query = (
        sa.select(Signup)
        .join(Shift)
        .where(
            engagement_signups(agreement),
            Signup.hours_confirmed_at.is_not(None),
            Signup.hours > 0,
        )
    )
    if first is not None:
        query = query.where(Shift.starts_at >= first)
    if last is not None:
        query = query.where(Shift.starts_at < last)
    return list(db.session.scalars(query.order_by(Shift.starts_at, Signup.id)))


def shift_days(agreement: Agreement) -> set[date]:
    """Warsaw days on which the volunteer has confirmed shift hours in the agreement's offer."""
    return {to_local(signup.shift.starts_at).date() for signup in confirmed_signups(agreement)}


def countable_entries(
    agreement: Agreement, start: date | None = None, end: date | None = None
) -> list[TimesheetEntry]:
    """Confirmed time-sheet entries that count towards hours (reports, certificate, milestones).

    Work is never counted twice: on a day with confirmed shift hours in the same offer, the
    shift's attendance is the record of that day's work, and a time-sheet entry of that day is
    left out."""
    query = sa.select(TimesheetEntry).where(
        TimesheetEntry.agreement_id == agreement.id, TimesheetEntry.confirmed_hours > 0
    )
    if start is not None:
        query = query.where(TimesheetEntry.day >= start)
    if end is not None:
        query = query.where(TimesheetEntry.day <= end)
    entries = list(db.session.scalars(query.order_by(TimesheetEntry.day, TimesheetEntry.id)))
    if not entries:
        return []
    on_shifts = shift_days(agreement)
    return [entry for entry in entries if entry.day not in on_shifts]
