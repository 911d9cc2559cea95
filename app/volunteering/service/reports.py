"""What the board reports: an organisation's responsiveness, confirmed hours (valued for a
grant settlement), the applicants' CSV list and a volunteer's certificate entries."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db
from app.inputs import csv_cell
from app.organisations.models import Organisation
from app.timeutil import local_day_bounds, local_today, to_local
from app.volunteering.models import Opportunity, Shift, Signup, SignupStatus

UNANSWERED_AFTER = timedelta(days=3)
# What an hour is worth when the report is not given a rate and the day is before the table of
# minimum rates (app.volunteering.minimum_rate); every later day counts at the rate in force.
DEFAULT_HOURLY_RATE = Decimal("31.40")


# --- public figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsiveness:
    median_hours: float | None
    answered_share: float
    counted: int


def responsiveness(organisation_id: int, now: datetime | None = None) -> Responsiveness | None:
    """How quickly and how often an organisation answers applications (last 365 days).

    Counted: applications that waited for an answer and either got one or have waited at least
    three days; applications withdrawn before an answer do not count.
    """
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Signup.pending_since, Signup.responded_at, Signup.status)
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation_id,
            Signup.pending_since.is_not(None),
            Signup.pending_since >= now - timedelta(days=365),
        )
    ).all()
    answered: list[float] = []
    unanswered = 0
    for since, responded, status in rows:
        if responded is not None:
            answered.append((responded - since).total_seconds() / 3600)
        elif status == SignupStatus.PENDING and now - since >= UNANSWERED_AFTER:
            unanswered += 1
    counted = len(answered) + unanswered
    if counted == 0:
        return None
    return Responsiveness(
        median_hours=statistics.median(answered) if answered else None,
        answered_share=len(answered) / counted,
        counted=counted,
    )


# --- the organisation's dashboard ---------------------------------------------------------------


def opportunities_of(organisation: Organisation, now: datetime | None = None) -> list[Opportunity]:
    """The organisation's offers for its dashboard, with their upcoming shifts (which it counts)
    loaded for all of them in one query; filtered as ``upcoming_shifts()`` filters, so that
    sees the same, and the past ones are not read (``browse.card_options`` does the same)."""
    now = now or utcnow()
    upcoming = Opportunity.shifts.and_(Shift.ends_at > now, Shift.cancelled_at.is_(None))
    return list(
        db.session.scalars(
            sa.select(Opportunity)
            .where(Opportunity.organisation_id == organisation.id)
            .order_by(Opportunity.status, Opportunity.title)
            .options(selectinload(upcoming))
        )
    )


def pending_count(organisation: Organisation) -> int:
    """Applications of ``organisation``'s offers waiting for an answer."""
    return db.session.scalar(
        sa.select(sa.func.count(Signup.id))
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id, Signup.status == SignupStatus.PENDING
        )
    )


# --- hours -----------------------------------------------------------------------------------


@dataclass
class VolunteerHours:
    """One volunteer's confirmed work in the period (a guest counts as one person per sign-up)."""

    name: str
    days: list[date]
    hours: Decimal
    value: Decimal = Decimal(0)


@dataclass
class HoursReport:
    """``rate`` None: each day's hours valued at the minimum hourly rate in force that day;
    a rate: every hour at it (a competition's own rate)."""

    start: date
    end: date
    rate: Decimal | None
    rows: list[tuple[Opportunity, int, Decimal, Decimal]]
    total_hours: Decimal
    volunteers: int
    people: list[VolunteerHours]

    @property
    def total_value(self) -> Decimal:
        return sum((value for *_rest, value in self.rows), Decimal(0)).quantize(CENT)


CENT = Decimal("0.01")


def hourly_rate() -> Decimal | None:
    """The rate a report uses unless asked for another: a fixed ``VOLUNTEER_HOURLY_RATE`` if
    the deployment sets one, else None (the minimum rate in force on each day of the work)."""
    fixed = current_app.config.get("VOLUNTEER_HOURLY_RATE")
    return Decimal(str(fixed)) if fixed is not None else None


def value_of(hours: Decimal, day: date, rate: Decimal | None = None) -> Decimal:
    """What ``hours`` of work on ``day`` are worth: at ``rate``, or at the minimum hourly rate
    in force that day."""
    from app.volunteering.minimum_rate import minimum_hourly_rate

    if rate is None:
        rate = minimum_hourly_rate(day) or DEFAULT_HOURLY_RATE
    return hours * rate


def hours_report(
    organisation: Organisation, start: date, end: date, rate: Decimal | None = None
) -> HoursReport:
    """Confirmed volunteer hours of shifts held from ``start`` to ``end`` (inclusive, Warsaw
    days), per opportunity, valued at ``rate`` per hour, or at the minimum hourly rate in force
    on each day when ``rate`` is None (wkład osobowy in a grant settlement)."""
    lower = local_day_bounds(start)[0]
    upper = local_day_bounds(end)[1]
    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id,
            Signup.hours_confirmed_at.is_not(None),
            Signup.hours.is_not(None),
            Shift.starts_at >= lower,
            Shift.starts_at < upper,
        )
        .order_by(Opportunity.title, Signup.id)
    ).all()
    per_opportunity: dict[int, list] = {}
    people: dict = {}
    for signup in signups:
        day = to_local(signup.shift.starts_at).date()
        _count(per_opportunity, people, signup.shift.opportunity, signup.user_id or f"signup-{signup.id}",
               signup.display_name, day, signup.hours, rate)  # fmt: skip
    _add_timesheets(organisation, start, end, per_opportunity, people, rate)
    rows = [
        (opp, len(persons), hours, value.quantize(CENT))
        for opp, persons, hours, value in per_opportunity.values()
    ]
    total = sum((hours for _o, _p, hours, _v in rows), Decimal(0))
    for worked in people.values():
        worked.days.sort()
        worked.value = worked.value.quantize(CENT)
    by_name = sorted(people.values(), key=lambda worked: (worked.name.casefold(), worked.days))
    return HoursReport(start, end, rate, rows, total, len(people), by_name)


def _count(per_opportunity, people, opportunity, person, name, day, hours, rate) -> None:
    value = value_of(hours, day, rate)
    entry = per_opportunity.setdefault(opportunity.id, [opportunity, set(), Decimal(0), Decimal(0)])
    entry[1].add(person)
    entry[2] += hours
    entry[3] += value
    worked = people.setdefault(person, VolunteerHours(name, [], Decimal(0)))
    if day not in worked.days:
        worked.days.append(day)
    worked.hours += hours
    worked.value += value


def _add_timesheets(organisation, start: date, end: date, per_opportunity, people, rate):
    """Confirmed time-sheet hours (flexible and remote offers) of days in the period; a day
    with confirmed shift hours in the same offer is counted once, from the shift."""
    from app.volunteering.agreements.models import Agreement, TimesheetEntry
    from app.volunteering.agreements.timesheets import countable_entries

    agreements = db.session.scalars(
        sa.select(Agreement)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id,
            Agreement.id.in_(
                sa.select(TimesheetEntry.agreement_id).where(
                    TimesheetEntry.confirmed_hours > 0,
                    TimesheetEntry.day >= start,
                    TimesheetEntry.day <= end,
                )
            ),
        )
        .order_by(Agreement.id)
    )
    for agreement in agreements:
        person = agreement.user_id or f"agreement-{agreement.id}"
        for item in countable_entries(agreement, start, end):
            _count(per_opportunity, people, agreement.opportunity, person,
                   agreement.volunteer_name or "—", item.day, item.confirmed_hours, rate)  # fmt: skip


def _polish_number(value: Decimal, places: int | None = None) -> str:
    """6, 1,5 and 180,00 as Polish spreadsheets read them."""
    if places is not None:
        return f"{value:.{places}f}".replace(".", ",")
    return f"{value.normalize():f}".replace(".", ",")


def hours_csv(report: HoursReport) -> str:
    """The report's volunteers, one a line, semicolon-separated with Polish decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["imię i nazwisko", "daty", "godziny", "wartość (zł)"])
    for worked in report.people:
        writer.writerow(
            [
                _safe(worked.name),
                ", ".join(day.strftime("%d.%m.%Y") for day in worked.days),
                _polish_number(worked.hours),
                _polish_number(worked.value, 2),
            ]
        )
    return out.getvalue()


def default_report_period() -> tuple[date, date]:
    today = local_today()
    return date(today.year, 1, 1), today


# --- certificates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    """A line of a certificate: a day's confirmed work in one offer."""

    day: date
    title: str
    hours: Decimal
    timesheet: bool = False


def confirmed_work(user: User, organisation: Organisation) -> list[WorkEntry]:
    """What a certificate or an opinion covers: shift hours ``organisation`` confirmed and its
    confirmed time-sheet hours (a day with a confirmed shift of the same offer counts once,
    from the shift), by day."""
    from app.volunteering.agreements.models import Agreement
    from app.volunteering.agreements.timesheets import countable_entries

    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .join(Opportunity)
        .where(
            Signup.user_id == user.id,
            Opportunity.organisation_id == organisation.id,
            Signup.hours_confirmed_at.is_not(None),
            Signup.hours > 0,
        )
        .order_by(Shift.starts_at)
    )
    entries = [
        WorkEntry(to_local(s.shift.starts_at).date(), s.shift.opportunity.title, s.hours)
        for s in signups
    ]
    agreements = db.session.scalars(
        sa.select(Agreement)
        .join(Opportunity)
        .where(Agreement.user_id == user.id, Opportunity.organisation_id == organisation.id)
    )
    for agreement in agreements:
        entries.extend(
            WorkEntry(item.day, agreement.opportunity.title, item.confirmed_hours, True)
            for item in countable_entries(agreement)
        )
    return sorted(entries, key=lambda entry: (entry.day, entry.title))


def certificate_organisations(
    signups: list[Signup], user: User | None = None, *, also=()
) -> list[Organisation]:
    """Organisations that confirmed hours of the volunteer: on shifts (or ``also``, found so
    already), or (given ``user``) on a time sheet."""
    seen: dict[int, Organisation] = {o.id: o for o in also}
    for signup in signups:
        if signup.hours_confirmed_at is not None:
            organisation = signup.shift.opportunity.organisation
            seen.setdefault(organisation.id, organisation)
    if user is not None:
        from app.volunteering.agreements.models import Agreement, TimesheetEntry

        for organisation in db.session.scalars(
            sa.select(Organisation)
            .join(Opportunity, Opportunity.organisation_id == Organisation.id)
            .join(Agreement, Agreement.opportunity_id == Opportunity.id)
            .join(TimesheetEntry, TimesheetEntry.agreement_id == Agreement.id)
            .where(Agreement.user_id == user.id, TimesheetEntry.confirmed_hours > 0)
            .distinct()
        ):
            seen.setdefault(organisation.id, organisation)
    return sorted(seen.values(), key=lambda o: o.name)


# --- the applicants' CSV -----------------------------------------------------------------------

CSV_STATUS = {
    SignupStatus.PENDING.value: "oczekuje",
    SignupStatus.ACCEPTED.value: "przyjęte",
    "no_show": "nieobecność",
    SignupStatus.WAITLISTED.value: "lista rezerwowa",
    SignupStatus.DECLINED.value: "odrzucone",
    SignupStatus.CANCELLED.value: "rezygnacja",
}
CSV_HEADER = [
    "termin", "koniec", "imię i nazwisko", "e-mail", "telefon", "status", "pozycja rezerwowa",
    "zgoda opiekuna", "obecność", "godziny", "wiadomość",
]  # fmt: skip


def _safe(value: str) -> str:
    """Stop spreadsheet formula injection from volunteer-typed text."""
    return csv_cell(value)


def applicants_csv(opportunity: Opportunity) -> str:
    """Every sign-up of every shift, semicolon-separated (what Polish spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for shift in opportunity.shifts:
        for signup in shift.signups:
            writer.writerow(
                [
                    to_local(shift.starts_at).strftime("%Y-%m-%d %H:%M"),
                    to_local(shift.ends_at).strftime("%Y-%m-%d %H:%M"),
                    _safe(signup.display_name),
                    _safe(signup.email or ""),
                    _safe(signup.guest_phone or ""),
                    CSV_STATUS[signup.display_status],
                    signup.waitlist_position or "",
                    _safe(signup.guardian_name or ""),
                    {True: "tak", False: "nie"}.get(signup.attended, ""),
                    str(signup.hours).replace(".", ",") if signup.hours is not None else "",
                    _safe(signup.message),
                ]
            )
    return out.getvalue()
