"""The week grid of a space and the dashboards (occupancy, an organisation's bookings, inbox)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload, selectinload

from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    Space,
    SpaceKind,
)
from app.spaces.service.availability import (
    all_rooms,
    closure_label,
    closures_by_space,
    closures_for,
    imported_busy,
    opening_intervals,
    slot_for,
    slot_holders,
)
from app.timeutil import local_day_bounds, local_to_utc, to_local

# --- week view and dashboards ------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


WEEKDAY_CLOSED = (
    _l("nieczynne w poniedziałki"),
    _l("nieczynne we wtorki"),
    _l("nieczynne w środy"),
    _l("nieczynne w czwartki"),
    _l("nieczynne w piątki"),
    _l("nieczynne w soboty"),
    _l("nieczynne w niedziele"),
)


@dataclass
class Interval:
    """A stretch of one day's opening hours in one state, exact to the minute (UTC).

    ``free``: a request for any time within it passes the conflict check (the break around
    confirmed bookings is left out); ``break``: the break between bookings; ``busy``: a
    confirmed booking (``label``: its public title); ``partial``: equipment with some pieces
    out (``label`` says how many remain); ``requested``: free, with pending requests; ``soon``:
    free but within the minimum notice; ``later``: beyond the booking horizon; ``past``;
    ``closed``: between two opening intervals."""

    state: str
    starts_at: datetime
    ends_at: datetime
    day: date
    label: str = ""

    @property
    def until_midnight(self) -> bool:
        return to_local(self.ends_at).date() > self.day


@dataclass
class WeekDay:
    day: date
    intervals: list[Interval] = field(default_factory=list)
    closed: str = ""  # why the whole day is closed (a closure, no opening hours that weekday)


def week_grid(space: Space, monday: date, *, now: datetime | None = None) -> list[WeekDay]:
    """Each day of the week as exact intervals of its opening hours: free, busy, the break
    between bookings, requested, past… (``Interval``), or why the day is closed. "Free" is
    what a request is checked against (``conflicts_for``): the break before and after a
    confirmed booking is not free, and the rest is, to the minute."""
    now = now or utcnow()
    days = [monday + timedelta(days=i) for i in range(7)]
    first, _end = local_day_bounds(days[0])
    _start, last = local_day_bounds(days[-1])
    buffer = timedelta(minutes=space.buffer_minutes)
    holders = slot_holders(
        [space.id],
        first - timedelta(days=1),
        last + buffer,
        with_series=True,
        rooms=all_rooms([space]),
    )[space.id]
    pending = list(
        db.session.scalars(
            sa.select(Booking)
            # Joined, so the page sends the same statements whether or not any is pending.
            .options(joinedload(Booking.series, innerjoin=True))
            .where(
                Booking.space_id == space.id,
                Booking.status == BookingStatus.PENDING,
                Booking.starts_at < last,
                Booking.ends_at > first,
            )
        )
    )
    closures = closures_for(space, days[0], days[-1])
    # Busy times imported from the provider's own calendar (a school's timetable).
    busy = imported_busy([space], first - buffer, last + buffer).get(space.id, [])
    # On the quarter hours a request uses: past until the last one, free from the first one
    # the notice allows (not "free from 15:33").
    notice = _quarter(now + timedelta(hours=space.min_notice_hours), up=True)
    now = _quarter(now)
    week = []
    for day in days:
        closed = [c for c in closures if c.starts_on <= day <= c.ends_on]
        hours = sorted(opening_intervals(space, day))
        if closed:
            reasons = ", ".join(closure_label(c) for c in closed)
            week.append(WeekDay(day, closed=_("zamknięte: %(reason)s", reason=reasons)))
            continue
        if not hours:
            week.append(WeekDay(day, closed=str(WEEKDAY_CLOSED[day.weekday()])))
            continue
        intervals: list[Interval] = []
        # Beyond the booking horizon nothing is free yet (a request would be refused).
        beyond = day > to_local(now).date() + timedelta(days=space.max_days_ahead)
        cut = (now, notice, beyond)
        for opens, closes in hours:
            begin, end = slot_for(day, opens, time(0) if closes == ALL_DAY_END else closes)
            if intervals and intervals[-1].ends_at < begin:
                intervals.append(Interval("closed", intervals[-1].ends_at, begin, day))
            intervals += _intervals(space, day, begin, end, holders, pending, cut, busy)
        week.append(WeekDay(day, _merged(intervals)))
    return week


def _quarter(moment: datetime, *, up: bool = False) -> datetime:
    step = timedelta(minutes=15)
    floor = moment - (moment - datetime.min.replace(tzinfo=moment.tzinfo)) % step
    return floor + step if up and floor < moment else floor


ALL_DAY_END = time(23, 59, 59)  # ``opening_intervals`` of a space without hours


def _intervals(space, day, begin, end, holders, pending, cut, busy=()) -> list[Interval]:
    now, notice, _beyond = cut
    buffer = timedelta(minutes=space.buffer_minutes)
    room = space.kind == SpaceKind.ROOM
    points = {begin, end, now, notice}
    for b in holders:
        points |= {b.starts_at, b.ends_at, b.blocked_until}
        if room:
            points.add(b.starts_at - buffer)
    for b in pending:
        points |= {b.starts_at, b.ends_at}
    for busy_start, busy_end in busy:
        points |= {busy_start - buffer, busy_start, busy_end}
    cuts = sorted(p for p in points if begin <= p <= end)
    result = []
    for start, stop in itertools.pairwise(cuts):
        state, label = _state(space, start, stop, holders, pending, cut, busy)
        result.append(Interval(state, start, stop, day, label))
    return result


def _state(space, start, stop, holders, pending, cut, busy=()) -> tuple[str, str]:
    """The state of [start, stop), within which nothing changes."""
    now, notice, beyond = cut
    if stop <= now:
        return "past", ""
    if any(busy_start <= start < busy_end for busy_start, busy_end in busy):
        return "busy", _("zajęte (kalendarz szkoły)")
    # A booking must end a buffer before an imported event (set-up and cleaning); after one
    # the room is free at once.
    buffer = timedelta(minutes=space.buffer_minutes)
    if any(busy_start - buffer <= start < busy_start for busy_start, _end in busy):
        return "break", ""
    if space.kind == SpaceKind.ROOM:
        buffer = timedelta(minutes=space.buffer_minutes)
        using = [b for b in holders if b.starts_at <= start < b.ends_at]
        if using:
            if using[0].space_id != space.id:
                # Combined rooms: the hall as a whole, or a part of it, is booked.
                return "busy", _("rezerwacja: %(space)s", space=using[0].space.name)
            series = using[0].series
            # A public title, unless city staff hid the organisation's profile (app/moderation).
            hidden = series.organisation is not None and series.organisation.hidden_at is not None
            return "busy", series.public_title if series.is_public and not hidden else ""
        if any(
            b.ends_at <= start < b.blocked_until or b.starts_at - buffer <= start < b.starts_at
            for b in holders
        ):
            return "break", ""
        out = 0
    else:
        out = sum(b.quantity for b in holders if b.starts_at <= start < b.blocked_until)
        if out >= space.stock:
            return "busy", ""
    if stop <= notice:
        return "soon", ""
    if beyond:
        return "later", ""
    if out:
        left = space.stock - out
        return "partial", ngettext(
            "wolna %(num)d sztuka z %(stock)d",
            "wolnych %(num)d sztuk z %(stock)d",
            left,
            stock=space.stock,
        )
    if any(b.starts_at <= start < b.ends_at for b in pending):
        return "requested", ""
    return "free", ""


def _merged(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for interval in intervals:
        last = merged[-1] if merged else None
        if last and (last.state, last.label) == (interval.state, interval.label):
            last.ends_at = interval.ends_at
        else:
            merged.append(interval)
    return merged


def occupancy(provider: Provider, monday: date) -> list[tuple[Space, float, int]]:
    """Per space: share of opening hours booked in the week, and the number of bookings."""
    days = [monday + timedelta(days=i) for i in range(7)]
    first, last = (
        local_to_utc(days[0], time(0)),
        local_to_utc(days[-1] + timedelta(days=1), time(0)),
    )
    spaces = list(
        db.session.scalars(
            sa.select(Space)
            .where(Space.provider_id == provider.id)
            .options(selectinload(Space.opening_hours))
            .order_by(Space.name, Space.id)
        )
    )
    held = slot_holders([s.id for s in spaces], first, last, rooms=all_rooms(spaces))
    closures_of = closures_by_space(spaces, days[0], days[-1])
    result = []
    for space in spaces:
        open_minutes = 0
        closures = closures_of[space.id]
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
