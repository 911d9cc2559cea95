"""Grants, their rate tables, engagements assigned to them and the wkład osobowy report.

Example rates (the organisation edits them; a competition's rules may fix their own, and then
only those count): auxiliary work at the minimum hourly rate in force on the day of the work,
specialist work at a market rate for similar paid work (sources in docs/volunteering.md,
"Wkład osobowy").

An engagement counts in a grant whole, or in parts over several grants; the parts take its
confirmed hours in time order (``allocation``), so each hour is settled in one grant at most.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.domain import DomainError
from app.extensions import db
from app.inputs import csv_cell
from app.organisations.models import Organisation
from app.timeutil import local_day_bounds, local_today, to_local
from app.volunteering.agreements.models import Agreement
from app.volunteering.agreements.timesheets import confirmed_signups, countable_entries
from app.volunteering.grants.models import Grant, GrantAssignment, GrantRate
from app.volunteering.minimum_rate import minimum_hourly_rate
from app.volunteering.models import Opportunity

CENT = Decimal("0.01")

# (kind of work, hourly rate (None: the minimum rate on the day of the work), source) offered
# when a grant is created.
EXAMPLE_RATES = (
    (
        _l("Praca pomocnicza (np. porządkowanie, roznoszenie ulotek, pomoc przy wydarzeniu)"),
        None,
        _l(
            "Minimalna stawka godzinowa obowiązująca w dniu wykonania pracy (2025 r.: 30,50 zł, 2026 r.: 31,40 zł brutto) – jak przy pracy niewymagającej kwalifikacji."
        ),
    ),
    (
        _l("Praca specjalistyczna (np. prowadzenie zajęć, tłumaczenie, porada prawna)"),
        Decimal("55.00"),
        _l(
            "Stawka rynkowa podobnej płatnej pracy (np. przeciętne wynagrodzenie wg GUS ÷ 168 godz. lub cennik usług) – zachowaj dokument źródłowy."
        ),
    ),
)


def rate_on(rate: GrantRate, day: date) -> Decimal:
    """What an hour of ``day``'s work is worth at this line of the rate table."""
    if rate.minimum_rate:
        return minimum_hourly_rate(day) or rate.hourly_rate
    return rate.hourly_rate


# --- grants and rates ------------------------------------------------------------------------


def grants_of(organisation: Organisation) -> list[Grant]:
    return list(
        db.session.scalars(
            sa.select(Grant)
            .where(Grant.organisation_id == organisation.id)
            .order_by(Grant.period_start.desc(), Grant.name)
        )
    )


def _name_taken(organisation: Organisation, name: str, grant: Grant | None = None) -> bool:
    query = sa.select(Grant.id).where(Grant.organisation_id == organisation.id, Grant.name == name)
    if grant is not None:
        query = query.where(Grant.id != grant.id)
    return db.session.scalar(query) is not None


def _check_details(organisation, name: str, start: date, end: date, grant=None) -> None:
    if end < start:
        raise DomainError(
            _("Koniec okresu musi być po jego początku."), status=422, field="period_end"
        )
    if _name_taken(organisation, name, grant):
        raise DomainError(_("Organizacja ma już dotację o tej nazwie."), status=422, field="name")


def create_grant(
    organisation: Organisation,
    *,
    name: str,
    competition: str,
    agreement_number: str,
    period_start: date,
    period_end: date,
    with_examples: bool = True,
) -> Grant:
    name = name.strip()
    _check_details(organisation, name, period_start, period_end)
    grant = Grant(
        organisation=organisation,
        name=name,
        competition=competition.strip(),
        agreement_number=agreement_number.strip(),
        period_start=period_start,
        period_end=period_end,
    )
    if with_examples:
        today = minimum_hourly_rate(local_today()) or Decimal(0)
        grant.rates = [
            GrantRate(
                kind=str(kind),
                hourly_rate=today if rate is None else rate,
                minimum_rate=rate is None,
                source=str(source),
            )
            for kind, rate, source in EXAMPLE_RATES
        ]
    _in_savepoint(
        lambda: db.session.add(grant), _("Organizacja ma już dotację o tej nazwie."), "name"
    )
    return grant


def update_grant(grant: Grant, *, name, competition, agreement_number, period_start, period_end):
    name = name.strip()
    _check_details(grant.organisation, name, period_start, period_end, grant)

    def change():
        grant.name = name
        grant.competition = competition.strip()
        grant.agreement_number = agreement_number.strip()
        grant.period_start, grant.period_end = period_start, period_end

    _in_savepoint(change, _("Organizacja ma już dotację o tej nazwie."), "name")


def _in_savepoint(change, message: str, field_name: str | None, status: int = 422) -> None:
    """Make ``change`` and flush it in a savepoint (``begin_nested`` flushes what is pending
    first, so the change must come after it): a unique violation (a racing twin) becomes a
    refusal, not a 500, and leaves the rest of the request's work intact."""
    db.session.flush()
    try:
        with db.session.begin_nested():
            change()
            db.session.flush()
    except sa.exc.IntegrityError:
        raise DomainError(message, status=status, field=field_name) from None


def save_rate(
    grant: Grant,
    *,
    kind: str,
    hourly_rate: Decimal,
    source: str,
    minimum_rate: bool = False,
    rate_id=None,
):
    """Add a line to the rate table, or change one (``rate_id``). Changing a rate changes the
    value of every engagement counted at it - the report is always computed, never stored.
    ``minimum_rate``: each day's hours are valued at the minimum hourly rate in force that day
    (``hourly_rate`` is then only a fallback for days before the table of rates)."""
    kind = kind.strip()
    if rate_id is not None:
        rate = db.session.get(GrantRate, rate_id)
        if rate is None or rate.grant_id != grant.id:
            raise DomainError(_("Nie ma takiej stawki."), status=404)
    else:
        rate = GrantRate(grant_id=grant.id)

    def change():
        db.session.add(rate)
        rate.kind, rate.hourly_rate, rate.source = kind, hourly_rate, source.strip()
        rate.minimum_rate = bool(minimum_rate)

    _in_savepoint(change, _("Ten rodzaj pracy jest już w tabeli stawek."), "kind")
    return rate


def remove_rate(grant: Grant, rate_id: int) -> None:
    rate = db.session.get(GrantRate, rate_id)
    if rate is None or rate.grant_id != grant.id:
        raise DomainError(_("Nie ma takiej stawki."), status=404)
    used = db.session.scalar(
        sa.select(sa.func.count(GrantAssignment.id)).where(GrantAssignment.rate_id == rate.id)
    )
    if used:
        raise DomainError(
            _("Tej stawki używają przypisane zaangażowania: najpierw zmień ich rodzaj pracy."),
            status=409,
        )
    db.session.delete(rate)
    db.session.flush()


# --- assignments -----------------------------------------------------------------------------


def assignments_of(grant: Grant) -> list[GrantAssignment]:
    return list(
        db.session.scalars(
            sa.select(GrantAssignment)
            .join(Agreement)
            .where(GrantAssignment.grant_id == grant.id)
            .order_by(Agreement.volunteer_name, Agreement.id)
        )
    )


def assignable_agreements(grant: Grant) -> list[Agreement]:
    """The organisation's engagements overlapping the grant's period, not yet in this grant
    and not counted whole in another."""
    taken = sa.select(GrantAssignment.agreement_id).where(
        sa.or_(GrantAssignment.grant_id == grant.id, GrantAssignment.hours.is_(None))
    )
    return list(
        db.session.scalars(
            sa.select(Agreement)
            .join(Opportunity)
            .where(
                Opportunity.organisation_id == grant.organisation_id,
                Agreement.id.not_in(taken),
                Agreement.period_start <= grant.period_end,
                Agreement.period_end >= grant.period_start,
            )
            .order_by(Agreement.volunteer_name, Agreement.id)
        )
    )


def confirmed_work(agreement: Agreement, start: date | None = None, end: date | None = None):
    """The engagement's confirmed work as (Warsaw day, hours), in time order: shift hours the
    organisation confirmed and countable time-sheet hours (a day with a confirmed shift of the
    same offer once, from the shift)."""
    first = local_day_bounds(start)[0] if start else None
    last = local_day_bounds(end)[1] if end else None
    work = [
        (to_local(signup.shift.starts_at).date(), signup.hours)
        for signup in confirmed_signups(agreement, first, last)
    ]
    work += [
        (entry.day, entry.confirmed_hours) for entry in countable_entries(agreement, start, end)
    ]
    return sorted(work, key=lambda item: item[0])


def confirmed_hours(agreement: Agreement) -> Decimal:
    return sum((hours for _day, hours in confirmed_work(agreement)), Decimal(0))


def _lock(agreement_id: int) -> Agreement | None:
    """The agreement's row, locked until the request's transaction ends: two members assigning
    parts of one engagement at once are serialised (SQLite: the write transaction is already
    exclusive), so the parts' sum is checked against what is really stored."""
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.id == agreement_id).with_for_update()
    )
    if agreement is not None:
        db.session.refresh(agreement)
    return agreement


def assign(
    grant: Grant,
    *,
    agreement_id: int,
    rate_id: int,
    actor: User,
    hours: Decimal | None = None,
) -> GrantAssignment:
    """Count an engagement in ``grant`` as a kind of work: whole (``hours`` None: all its
    confirmed hours within the grant's period, and then in no other grant) or a part of its
    hours; re-assigning within the grant changes the kind or the part. The parts of all grants
    never add up to more than its confirmed hours (checked with the engagement locked)."""
    agreement = _lock(agreement_id) if agreement_id else None
    if agreement is None or agreement.opportunity.organisation_id != grant.organisation_id:
        raise DomainError(
            _("Wybierz porozumienie swojej organizacji."), status=422, field="agreement"
        )
    rate = db.session.get(GrantRate, rate_id)
    if rate is None or rate.grant_id != grant.id:
        raise DomainError(
            _("Wybierz rodzaj pracy z tabeli stawek tej dotacji."), status=422, field="rate"
        )
    others = [
        other
        for other in db.session.scalars(
            sa.select(GrantAssignment).where(GrantAssignment.agreement_id == agreement.id)
        )
        if other.grant_id != grant.id
    ]
    whole = next((other for other in others if other.hours is None), None)
    if whole is not None or (others and hours is None):
        raise DomainError(
            _(
                "To zaangażowanie jest już rozliczane w dotacji „%(name)s”. Aby podzielić je między dotacje, podaj w każdej liczbę godzin.",
                name=(whole or others[0]).grant.name,
            ),
            status=409,
        )
    if hours is not None:
        assigned = sum((other.hours for other in others), Decimal(0))
        available = confirmed_hours(agreement)
        if assigned + hours > available:
            raise DomainError(
                _(
                    "Części tego zaangażowania przekroczyłyby jego potwierdzone godziny: potwierdzono %(confirmed)s godz., w innych dotacjach jest już %(assigned)s godz.",
                    confirmed=_pl(available, 2),
                    assigned=_pl(assigned, 2),
                ),
                status=422,
                field="hours",
            )
    existing = db.session.scalar(
        sa.select(GrantAssignment).where(
            GrantAssignment.agreement_id == agreement.id, GrantAssignment.grant_id == grant.id
        )
    )
    assignment = existing or GrantAssignment(grant_id=grant.id, agreement_id=agreement.id)

    def change():
        db.session.add(assignment)
        assignment.rate_id = rate.id
        assignment.hours = hours
        assignment.assigned_by_id = actor.id

    _in_savepoint(change, _("To zaangażowanie jest już przypisane do tej dotacji."), None, 409)
    return assignment


def unassign(grant: Grant, assignment_id: int) -> None:
    assignment = db.session.get(GrantAssignment, assignment_id)
    if assignment is None or assignment.grant_id != grant.id:
        raise DomainError(_("Nie ma takiego przypisania."), status=404)
    db.session.delete(assignment)
    db.session.flush()


# --- the report ------------------------------------------------------------------------------


@dataclass
class ReportLine:
    assignment: GrantAssignment
    work: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def agreement(self) -> Agreement:
        return self.assignment.agreement

    @property
    def rate(self) -> GrantRate:
        return self.assignment.rate

    @property
    def days(self) -> list[date]:
        return sorted({day for day, _hours in self.work})

    @property
    def hours(self) -> Decimal:
        return sum((hours for _day, hours in self.work), Decimal(0))

    @property
    def rates(self) -> list[Decimal]:
        """The hourly rates the line's days were valued at (two across a new year)."""
        return sorted({rate_on(self.rate, day) for day, _hours in self.work}) or [
            self.rate.hourly_rate
        ]

    @property
    def value(self) -> Decimal:
        """Each day's hours at the rate in force that day, the line rounded to grosze."""
        total = sum((hours * rate_on(self.rate, day) for day, hours in self.work), Decimal(0))
        return total.quantize(CENT)


@dataclass
class GrantReport:
    grant: Grant
    start: date
    end: date
    lines: list[ReportLine]

    @property
    def total_hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal(0))

    @property
    def total_value(self) -> Decimal:
        """The sum of the lines' values (each rounded to grosze), as the settlement shows it."""
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def volunteers(self) -> int:
        return len(self.lines)

    def by_kind(self) -> list[tuple[GrantRate, Decimal, Decimal]]:
        """Hours and value per line of the rate table (lines without hours left out)."""
        totals: dict[int, list] = {}
        for line in self.lines:
            entry = totals.setdefault(line.rate.id, [line.rate, Decimal(0), Decimal(0)])
            entry[1] += line.hours
            entry[2] += line.value
        return [tuple(entry) for entry in totals.values()]


def report_window(grant: Grant, start: date | None, end: date | None) -> tuple[date, date]:
    """The asked period within the grant's (missing ends: the grant's own)."""
    lower = max(start or grant.period_start, grant.period_start)
    upper = min(end or grant.period_end, grant.period_end)
    return lower, upper


def allocation(agreement: Agreement) -> dict[int, list[tuple[date, Decimal]]]:
    """Which of the engagement's confirmed hours each of its assignments counts, by
    assignment id: a whole assignment takes all of them within its grant's period; parts take
    theirs in the order they were assigned, each the earliest hours within its grant's period
    that no earlier part took (a day's hours may be split). An hour is never in two grants."""
    remaining = [[day, hours] for day, hours in confirmed_work(agreement)]
    taken: dict[int, list[tuple[date, Decimal]]] = {}
    assignments = db.session.scalars(
        sa.select(GrantAssignment)
        .where(GrantAssignment.agreement_id == agreement.id)
        .order_by(GrantAssignment.id)
    )
    for assignment in assignments:
        grant, need = assignment.grant, assignment.hours
        mine = taken.setdefault(assignment.id, [])
        for item in remaining:
            day, hours = item
            if hours <= 0 or not grant.period_start <= day <= grant.period_end:
                continue
            share = hours if need is None else min(hours, need)
            if share <= 0:
                break
            mine.append((day, share))
            item[1] -= share
            if need is not None:
                need -= share
    return taken


def grant_report(grant: Grant, start: date | None = None, end: date | None = None) -> GrantReport:
    """Confirmed hours of every engagement assigned to ``grant`` on days from ``start`` to
    ``end`` (Warsaw days, within the grant's period): shift hours the organisation confirmed
    and confirmed time-sheet hours (a day with a confirmed shift of the same offer once, from
    the shift) - for an engagement split over grants, the part ``allocation`` gives this one -
    each day valued at the engagement's kind of work as in force that day."""
    lower, upper = report_window(grant, start, end)
    if upper < lower:
        return GrantReport(grant, lower, upper, [])
    lines = []
    for assignment in assignments_of(grant):
        counted = allocation(assignment.agreement).get(assignment.id, [])
        lines.append(
            ReportLine(assignment, [(day, h) for day, h in counted if lower <= day <= upper])
        )
    return GrantReport(grant, lower, upper, lines)


def _pl(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def report_csv(report: GrantReport) -> str:
    """Semicolons and decimal commas (Polish spreadsheets); every text cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "wolontariusz",
            "porozumienie",
            "okres porozumienia",
            "rodzaj pracy",
            "daty",
            "godziny",
            "stawka (zł/godz.)",
            "wartość (zł)",
        ]
    )
    for line in report.lines:
        agreement = line.agreement
        writer.writerow(
            [
                csv_cell(agreement.volunteer_name or "—"),
                f"nr {agreement.id}",
                f"{agreement.period_start:%d.%m.%Y}–{agreement.period_end:%d.%m.%Y}",
                csv_cell(line.rate.kind),
                ", ".join(f"{day:%d.%m.%Y}" for day in line.days),
                _pl(line.hours),
                " / ".join(_pl(rate) for rate in line.rates),
                _pl(line.value),
            ]
        )
    writer.writerow(["razem", "", "", "", "", _pl(report.total_hours), "", _pl(report.total_value)])
    return out.getvalue()
