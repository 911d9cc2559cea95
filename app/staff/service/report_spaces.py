"""The spaces part of the programme report: use of the city's rooms and equipment.

Computed by grouped queries over the period's occurrences (one row per space and organisation,
per rate and length, per reason: never one per booking), so a year of a whole city takes a few
scans of an index; only the calendar of opening hours is worked out here, once per space and
weekday. Durations are summed as whole microseconds in SQL (``elapsed_micros``), so every figure
is the one a sum over the bookings in Python gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.db import elapsed_micros
from app.extensions import db
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    OpeningHours,
    Provider,
    Space,
    SpaceKind,
    TermsKind,
)
from app.spaces.vocab import district_label
from app.staff.service.report import Period, hours_of, share

# A cancellation this close to the start (or later) is a late one.
LATE_CANCELLATION = timedelta(hours=24)


@dataclass(frozen=True)
class SpaceRow:
    space: str
    provider: str
    district: str
    bookings: int  # approved occurrences
    hours: Decimal  # of approved occurrences
    open_hours: Decimal | None  # rooms only
    utilisation: float | None  # slot-holding hours ÷ open hours (rooms only)
    organisations: int
    participants: int


@dataclass(frozen=True)
class GroupRow:
    label: str
    bookings: int
    hours: Decimal
    organisations: int


@dataclass(frozen=True)
class TermsShare:
    terms: str  # TermsKind value
    bookings: int
    hours: Decimal
    share: float | None  # of all hours of use


@dataclass(frozen=True)
class Reason:
    reason: str  # "" when the provider gave none
    count: int


@dataclass(frozen=True)
class SpacesReport:
    bookings: int
    hours: Decimal
    organisations_served: int
    participants: int  # people declared, summed over approved occurrences
    utilisation: float | None  # all rooms together
    per_space: list[SpaceRow]
    per_provider: list[GroupRow]
    per_district: list[GroupRow]
    terms: list[TermsShare]
    barter_owed: Decimal
    barter_delivered: Decimal
    no_shows: int
    late_cancellations: int
    declined: int
    decline_reasons: list[Reason]


MICROS = 10**6


def _seconds(micros) -> float:
    """What ``timedelta.total_seconds()`` gives for that many microseconds (a sum of them comes
    back from PostgreSQL as a numeric)."""
    return int(micros or 0) / MICROS


def _in_period(period: Period):
    first, after = period.bounds
    return (Booking.starts_at >= first, Booking.starts_at < after)


DURATION = elapsed_micros(Booking.starts_at, Booking.ends_at)
APPROVED = Booking.status == BookingStatus.APPROVED


@dataclass
class _Use:
    """What some occurrences add up to (one space's, one provider's, all of them)."""

    bookings: int = 0  # approved
    used: int = 0  # microseconds of approved occurrences
    held: int = 0  # microseconds of slot-holding ones
    people: int = 0  # declared for approved occurrences
    no_shows: int = 0
    organisations: set = field(default_factory=set)  # served by approved occurrences

    def add(self, other: _Use) -> None:
        self.bookings += other.bookings
        self.used += other.used
        self.held += other.held
        self.people += other.people
        self.no_shows += other.no_shows
        self.organisations |= other.organisations


def _per_space(period: Period) -> dict[int, _Use]:
    """The period's occurrences per space, grouped in SQL by space, organisation and status
    (so each length is worked out once, and the organisations of a provider or a district are
    counted once each, from these rows)."""
    rows = db.session.execute(
        sa.select(
            Booking.space_id,
            BookingSeries.organisation_id,
            Booking.status,
            sa.func.count(Booking.id),
            sa.func.sum(DURATION),
            sa.func.sum(BookingSeries.people),
        )
        .join(BookingSeries, BookingSeries.id == Booking.series_id)
        .where(*_in_period(period))
        .group_by(Booking.space_id, BookingSeries.organisation_id, Booking.status)
    )
    uses = defaultdict(_Use)
    for space_id, organisation_id, status, n, micros, people in rows:
        use = uses[space_id]
        micros = int(micros or 0)  # PostgreSQL sums bigints as numerics
        if status in SLOT_HOLDING_STATUSES:
            use.held += micros
        if status == BookingStatus.NO_SHOW:
            use.no_shows += n
        if status == BookingStatus.APPROVED:
            use.bookings += n
            use.used += micros
            use.people += int(people or 0)
            if organisation_id is not None:
                use.organisations.add(organisation_id)
    return uses


def _groups(uses: dict[str, _Use]) -> list[GroupRow]:
    result = [
        GroupRow(label=label, bookings=use.bookings, hours=hours_of(_seconds(use.used)),
                 organisations=len(use.organisations))
        for label, use in uses.items()
        if use.bookings
    ]  # fmt: skip
    return sorted(result, key=lambda r: (-r.hours, r.label))


def _weekday_seconds() -> dict[int, list[float]]:
    """Per space, the open seconds of each weekday (Monday first); a space without any hours
    is open all day (``opening_intervals``), which the caller assumes for missing spaces."""
    seconds = defaultdict(lambda: [0.0] * 7)
    rows = db.session.execute(
        sa.select(OpeningHours.space_id, OpeningHours.weekday, OpeningHours.opens,
                  OpeningHours.closes)
    )  # fmt: skip
    for space_id, weekday, opens, closes in rows:
        day = date.min  # wall-clock lengths: the same on every day
        seconds[space_id][weekday] += (
            datetime.combine(day, closes) - datetime.combine(day, opens)
        ).total_seconds()
    return seconds


ALL_DAY = (datetime.combine(date.min, time(23, 59, 59)) - datetime.min).total_seconds()


def _closed_days(period: Period) -> tuple[dict[int, set[date]], dict[int, set[date]]]:
    """The period's closed days: (by space, by provider)."""
    by_space, by_provider = defaultdict(set), defaultdict(set)
    closures = db.session.execute(
        sa.select(Closure.space_id, Closure.provider_id, Closure.starts_on, Closure.ends_on).where(
            Closure.starts_on <= period.end, Closure.ends_on >= period.start
        )
    )
    for space_id, provider_id, starts_on, ends_on in closures:
        day, last = max(starts_on, period.start), min(ends_on, period.end)
        days = by_space[space_id] if space_id is not None else by_provider[provider_id]
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return by_space, by_provider


def _open_seconds(period: Period):
    """A function giving a room's open seconds in the period (closed days left out)."""
    weekdays = Counter(day.weekday() for day in period.days)
    hours = _weekday_seconds()
    closed_space, closed_provider = _closed_days(period)

    def open_seconds(space_id: int, provider_id: int) -> float:
        per_weekday = hours.get(space_id) or [ALL_DAY] * 7
        closed = closed_space.get(space_id, set()) | closed_provider.get(provider_id, set())
        days = dict(weekdays)
        for day in closed:
            days[day.weekday()] -= 1
        return sum(per_weekday[w] * days.get(w, 0) for w in range(7))

    return open_seconds


def _late_cancellations(period: Period) -> int:
    """Cancelled occurrences whose cancellation came less than a day before the start."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Booking.id)))
            .join(BookingStatusChange, BookingStatusChange.booking_id == Booking.id)
            .where(
                *_in_period(period),
                Booking.status == BookingStatus.CANCELLED,
                BookingStatusChange.to_status == BookingStatus.CANCELLED,
                elapsed_micros(BookingStatusChange.at, Booking.starts_at)
                < LATE_CANCELLATION // timedelta(microseconds=1),
            )
        )
        or 0
    )


def _barter_delivered(period: Period) -> Decimal:
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(BarterDelivery.hours), 0)).where(
            BarterDelivery.delivered_on >= period.start,
            BarterDelivery.delivered_on <= period.end,
            BarterDelivery.withdrawn_at.is_(None),
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _barter_owed(period: Period) -> Decimal:
    """Approved hours in barter rooms × each room's barter rate: grouped by rate and length,
    each length's hours taken as ``Decimal(str(float))`` as the ledger does."""
    rows = db.session.execute(
        sa.select(Space.barter_hours_per_hour, DURATION, sa.func.count(Booking.id))
        .join(Space, Space.id == Booking.space_id)
        .where(*_in_period(period), APPROVED, Space.terms == TermsKind.BARTER,
               Space.barter_hours_per_hour.is_not(None), Space.barter_hours_per_hour != 0)
        .group_by(Space.barter_hours_per_hour, DURATION)
    ).all()  # fmt: skip
    return sum(
        (Decimal(str(_seconds(micros) / 3600)) * rate * n for rate, micros, n in rows), Decimal(0)
    )


def _decline_reasons(period: Period) -> list[Reason]:
    reasons = defaultdict(int)
    rows = db.session.execute(
        sa.select(Booking.status_reason, sa.func.count(Booking.id))
        .where(*_in_period(period), Booking.status == BookingStatus.DECLINED)
        .group_by(Booking.status_reason)
    )
    for reason, n in rows:
        reasons[(reason or "").strip()] += n
    return sorted((Reason(r, n) for r, n in reasons.items()), key=lambda r: (-r.count, r.reason))


def _space_rows(period: Period, per_space: dict[int, _Use]):
    """Every space used in the period or still active (its row), the rooms' open and held
    seconds, and what the occurrences add up to per terms, provider and district."""
    open_seconds = _open_seconds(period)
    spaces = db.session.execute(
        sa.select(Space.id, Space.name, Space.kind, Space.active, Space.district, Space.terms,
                  Space.provider_id, Provider.name.label("provider"))
        .join(Provider, Provider.id == Space.provider_id)
        .order_by(Space.name, Space.id)
    ).all()  # fmt: skip
    rows, open_total, held_total = [], 0.0, 0.0
    groups = {key: defaultdict(_Use) for key in ("terms", "provider", "district")}
    labels = {}
    nothing = _Use()
    for space in spaces:
        use = per_space.get(space.id, nothing)
        if space.district not in labels:
            labels[space.district] = district_label(space.district)
        district = labels[space.district]
        for key, value in (("terms", space.terms), ("provider", space.provider),
                           ("district", district)):  # fmt: skip
            groups[key][value].add(use)
        held = _seconds(use.held)
        if not use.bookings and not held and not space.active:
            continue
        seconds = (
            open_seconds(space.id, space.provider_id) if space.kind == SpaceKind.ROOM else None
        )
        if seconds is not None:
            open_total += seconds
            held_total += held
        rows.append(
            SpaceRow(
                space=space.name,
                provider=space.provider,
                district=district,
                bookings=use.bookings,
                hours=hours_of(_seconds(use.used)),
                open_hours=hours_of(seconds) if seconds is not None else None,
                utilisation=share(held, seconds) if seconds is not None else None,
                organisations=len(use.organisations),
                participants=use.people,
            )
        )
    rows.sort(key=lambda r: (-r.hours, r.provider, r.space))
    return rows, open_total, held_total, groups


def spaces_report(period: Period) -> SpacesReport:
    per_space = _per_space(period)
    rows, open_total, held_total, groups = _space_rows(period, per_space)
    total = _Use()
    for use in per_space.values():
        total.add(use)
    total_seconds = _seconds(total.used)
    terms = [
        TermsShare(
            terms=kind.value,
            bookings=groups["terms"][kind].bookings,
            hours=hours_of(_seconds(groups["terms"][kind].used)),
            share=share(_seconds(groups["terms"][kind].used), total_seconds),
        )
        for kind in TermsKind
    ]
    reasons = _decline_reasons(period)
    return SpacesReport(
        bookings=total.bookings,
        hours=hours_of(total_seconds),
        organisations_served=len(total.organisations),
        participants=total.people,
        utilisation=share(held_total, open_total),
        per_space=rows,
        per_provider=_groups(groups["provider"]),
        per_district=_groups(groups["district"]),
        terms=terms,
        barter_owed=_barter_owed(period).quantize(Decimal("0.01")),
        barter_delivered=_barter_delivered(period),
        no_shows=total.no_shows,
        late_cancellations=_late_cancellations(period),
        declined=sum(r.count for r in reasons),
        decline_reasons=reasons,
    )
