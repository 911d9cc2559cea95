"""The week grid of a space and the dashboards (occupancy, an organisation's bookings, inbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    OPEN_STATUSES,
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    Space,
)
from app.spaces.service.availability import (
    blocked_by_import,
    closures_for,
    conflicts_for,
    imported_busy,
    opening_intervals,
    slot_for,
    slot_holders,
)
from app.timeutil import local_to_utc

# --- week view and dashboards ------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class WeekCell:
    state: str  # "free", "busy", "closed", "requested"
    label: str = ""


def week_grid(space: Space, monday: date, *, first_hour=7, last_hour=22):
    """Hour-by-day cells of one week: closed, busy (approved), requested (pending) or free.

    "free" means the whole hour could be booked: the same rule as a request
    (``conflicts_for``, so the buffer around confirmed bookings counts), not just "nobody is
    in the room"."""
    days = [monday + timedelta(days=i) for i in range(7)]
    first = local_to_utc(days[0], time(0))
    last = local_to_utc(days[-1] + timedelta(days=1), time(0))
    buffer = timedelta(minutes=space.buffer_minutes)
    holders = slot_holders([space.id], first - buffer, last + buffer)[space.id]
    bookings = list(
        db.session.scalars(
            sa.select(Booking)
            .options(selectinload(Booking.series))
            .where(
                Booking.space_id == space.id,
                Booking.status.in_(OPEN_STATUSES),
                Booking.starts_at < last,
                Booking.ends_at > first,
            )
        )
    )
    closures = closures_for(space, days[0], days[-1])
    busy = imported_busy([space], first - buffer, last + buffer).get(space.id, [])
    rows = []
    for hour in range(first_hour, last_hour):
        cells = []
        for day in days:
            start, end = slot_for(day, time(hour), time(hour + 1) if hour < 23 else time(0))
            closed = any(c.starts_on <= day <= c.ends_on for c in closures) or not any(
                opens <= time(hour) and time(hour) < closes
                for opens, closes in opening_intervals(space, day)
            )
            here = [b for b in bookings if b.starts_at < end and start < b.ends_at]
            if closed:
                cells.append(WeekCell("closed"))
            elif conflicts_for(space, start, end, holders=holders):
                held = [b for b in here if b.holds_slot]
                title = next((b.series.public_title for b in held if b.series.is_public), "")
                cells.append(WeekCell("busy", title))
            elif blocked_by_import(space, start, end, busy):
                cells.append(WeekCell("busy", _("zajęte (kalendarz szkoły)")))
            elif any(b.status == BookingStatus.PENDING for b in here):
                cells.append(WeekCell("requested"))
            else:
                cells.append(WeekCell("free"))
        rows.append((hour, cells))
    return days, rows


def occupancy(provider: Provider, monday: date) -> list[tuple[Space, float, int]]:
    """Per space: share of opening hours booked in the week, and the number of bookings."""
    days = [monday + timedelta(days=i) for i in range(7)]
    first, last = (
        local_to_utc(days[0], time(0)),
        local_to_utc(days[-1] + timedelta(days=1), time(0)),
    )
    held = slot_holders([s.id for s in provider.spaces], first, last)
    result = []
    for space in provider.spaces:
        open_minutes = 0
        closures = closures_for(space, days[0], days[-1])
        for day in days:
            if any(c.starts_on <= day <= c.ends_on for c in closures):
                continue
            for opens, closes in opening_intervals(space, day):
                open_minutes += (
                    datetime.combine(day, closes) - datetime.combine(day, opens)
                ).total_seconds() / 60
        booked = sum(
            (min(b.ends_at, last) - max(b.starts_at, first)).total_seconds() / 60
            for b in held.get(space.id, [])
        )
        share = min(booked / open_minutes, 1.0) if open_minutes else 0.0
        result.append((space, share, len(held.get(space.id, []))))
    return result


def organisation_bookings(organisation: Organisation, *, now=None) -> dict[str, list[Booking]]:
    now = now or utcnow()
    rows = list(
        db.session.scalars(
            sa.select(Booking)
            .join(BookingSeries)
            .options(selectinload(Booking.space).selectinload(Space.provider))
            .where(BookingSeries.organisation_id == organisation.id)
            .order_by(Booking.starts_at)
        )
    )
    return {
        "pending": [b for b in rows if b.status == BookingStatus.PENDING and b.ends_at > now],
        "upcoming": [b for b in rows if b.holds_slot and b.ends_at > now],
        "past": [b for b in rows if b.ends_at <= now and b.status in SLOT_HOLDING_STATUSES][::-1],
    }


def provider_inbox(provider: Provider) -> list[BookingSeries]:
    """Series with pending future occurrences, oldest request first."""
    return list(
        db.session.scalars(
            sa.select(BookingSeries)
            .join(Space, BookingSeries.space_id == Space.id)
            .where(
                Space.provider_id == provider.id,
                BookingSeries.occurrences.any(
                    sa.and_(Booking.status == BookingStatus.PENDING, Booking.ends_at > utcnow())
                ),
            )
            .options(selectinload(BookingSeries.occurrences))
            .order_by(BookingSeries.created_at)
        )
    )
