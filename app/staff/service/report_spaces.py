"""The spaces part of the programme report: use of the city's rooms and equipment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingStatus,
    BookingStatusChange,
    Space,
    SpaceKind,
    TermsKind,
)
from app.spaces.service.availability import closures_by_space, opening_intervals
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


def _open_seconds(space: Space, period: Period, closures) -> float:
    seconds = 0.0
    for day in period.days:
        if any(c.starts_on <= day <= c.ends_on for c in closures):
            continue
        for opens, closes in opening_intervals(space, day):
            seconds += (
                datetime.combine(day, closes) - datetime.combine(day, opens)
            ).total_seconds()
    return seconds


def _occurrences(period: Period) -> list[Booking]:
    first, after = period.bounds
    return list(
        db.session.scalars(
            sa.select(Booking)
            .options(
                selectinload(Booking.series),
                selectinload(Booking.space).selectinload(Space.provider),
            )
            .where(Booking.starts_at >= first, Booking.starts_at < after)
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def _late_cancellations(period: Period) -> int:
    """Cancelled occurrences whose cancellation came less than a day before the start (the
    arithmetic is done here: date arithmetic in SQL differs between SQLite and PostgreSQL)."""
    first, after = period.bounds
    rows = db.session.execute(
        sa.select(Booking.id, Booking.starts_at, BookingStatusChange.at)
        .join(BookingStatusChange, BookingStatusChange.booking_id == Booking.id)
        .where(
            Booking.starts_at >= first,
            Booking.starts_at < after,
            Booking.status == BookingStatus.CANCELLED,
            BookingStatusChange.to_status == BookingStatus.CANCELLED,
        )
    ).all()
    return len({b for b, starts_at, at in rows if at > starts_at - LATE_CANCELLATION})


def _barter_delivered(period: Period) -> Decimal:
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(BarterDelivery.hours), 0)).where(
            BarterDelivery.delivered_on >= period.start,
            BarterDelivery.delivered_on <= period.end,
            BarterDelivery.withdrawn_at.is_(None),
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _group(rows: dict[str, list[Booking]]) -> list[GroupRow]:
    result = [
        GroupRow(
            label=label,
            bookings=len(used),
            hours=hours_of(sum(b.duration.total_seconds() for b in used)),
            organisations=len({b.series.organisation_id for b in used} - {None}),
        )
        for label, used in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.hours, r.label))


def spaces_report(period: Period) -> SpacesReport:
    occurrences = _occurrences(period)
    used = [b for b in occurrences if b.status == BookingStatus.APPROVED]
    held = defaultdict(float)  # space id -> seconds holding the slot
    for b in occurrences:
        if b.status in SLOT_HOLDING_STATUSES:
            held[b.space_id] += b.duration.total_seconds()

    spaces = list(
        db.session.scalars(
            sa.select(Space)
            .options(selectinload(Space.provider), selectinload(Space.opening_hours))
            .order_by(Space.name, Space.id)
        )
    )
    closures = closures_by_space(spaces, period.start, period.end)
    by_space: dict[int, list[Booking]] = defaultdict(list)
    for b in used:
        by_space[b.space_id].append(b)
    rows, open_total, held_total = [], 0.0, 0.0
    for space in spaces:
        mine = by_space.get(space.id, [])
        if not mine and not held.get(space.id) and not space.active:
            continue
        open_seconds = (
            _open_seconds(space, period, closures[space.id])
            if space.kind == SpaceKind.ROOM
            else None
        )
        if open_seconds is not None:
            open_total += open_seconds
            held_total += held.get(space.id, 0.0)
        rows.append(
            SpaceRow(
                space=space.name,
                provider=space.provider.name,
                district=district_label(space.district),
                bookings=len(mine),
                hours=hours_of(sum(b.duration.total_seconds() for b in mine)),
                open_hours=hours_of(open_seconds) if open_seconds is not None else None,
                utilisation=share(held.get(space.id, 0.0), open_seconds)
                if open_seconds is not None
                else None,
                organisations=len({b.series.organisation_id for b in mine} - {None}),
                participants=sum(b.series.people for b in mine),
            )
        )
    rows.sort(key=lambda r: (-r.hours, r.provider, r.space))

    per_provider, per_district, per_terms = defaultdict(list), defaultdict(list), defaultdict(list)
    for b in used:
        per_provider[b.space.provider.name].append(b)
        per_district[district_label(b.space.district)].append(b)
        per_terms[b.space.terms].append(b)
    total_seconds = sum(b.duration.total_seconds() for b in used)
    terms = [
        TermsShare(
            terms=kind.value,
            bookings=len(per_terms[kind]),
            hours=hours_of(sum(b.duration.total_seconds() for b in per_terms[kind])),
            share=share(sum(b.duration.total_seconds() for b in per_terms[kind]), total_seconds),
        )
        for kind in TermsKind
    ]
    owed = sum(
        (
            Decimal(str(b.duration.total_seconds() / 3600)) * b.space.barter_hours_per_hour
            for b in per_terms[TermsKind.BARTER]
            if b.space.barter_hours_per_hour
        ),
        Decimal(0),
    )
    declined = [b for b in occurrences if b.status == BookingStatus.DECLINED]
    reasons = defaultdict(int)
    for b in declined:
        reasons[b.status_reason.strip()] += 1
    return SpacesReport(
        bookings=len(used),
        hours=hours_of(total_seconds),
        organisations_served=len({b.series.organisation_id for b in used} - {None}),
        participants=sum(b.series.people for b in used),
        utilisation=share(held_total, open_total),
        per_space=rows,
        per_provider=_group(per_provider),
        per_district=_group(per_district),
        terms=terms,
        barter_owed=owed.quantize(Decimal("0.01")),
        barter_delivered=_barter_delivered(period),
        no_shows=sum(1 for b in occurrences if b.status == BookingStatus.NO_SHOW),
        late_cancellations=_late_cancellations(period),
        declined=len(declined),
        decline_reasons=sorted(
            (Reason(reason, n) for reason, n in reasons.items()), key=lambda r: (-r.count, r.reason)
        ),
    )
