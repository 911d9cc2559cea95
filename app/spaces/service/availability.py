"""Availability: recurrence, opening hours, closures, booking rules and conflicts. The
providers' settings that define them are in ``settings``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.calendars.imports.models import busy_by_space
from app.db import utcnow
from app.extensions import db
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    Recurrence,
    Space,
    SpaceKind,
)
from app.spaces.rounds.holds import round_hold_problems
from app.timeutil import local_to_utc, to_local

MAX_OCCURRENCES = 60
# A room's occurrence stays within one Warsaw day (``rule_problems`` refuses more at every entry
# point; the autumn DST day has 25 h) and its break is at most 4 h (the settings form): so one
# that started two days before a window cannot reach into it. Equipment loans span days.
ROOM_OCCURRENCE_SPAN = timedelta(days=2)


# --- recurrence ------------------------------------------------------------------------------


def occurrence_days(
    recurrence: Recurrence,
    first_day: date,
    *,
    until: date | datetime | None,
    count: int | None,
    school_weeks: bool = False,
) -> list[date]:
    """The local days of a series. ``until`` is inclusive whatever its time of day; ``count``
    limits the number. A fortnightly series steps by calendar fortnights, or with
    ``school_weeks`` (a school's space: ``uses_school_weeks``) by the school's A/B weeks: the
    same weekday of every school week with the first day's letter, so a series in week A stays
    in week A after a break of odd length (``holiday_presets.ab_week``)."""
    if recurrence == Recurrence.ONCE:
        return [first_day]
    if isinstance(until, datetime):
        until = to_local(until).date() if until.tzinfo else until.date()
    limit = min(count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    if recurrence == Recurrence.BIWEEKLY and school_weeks:
        from app.spaces.service.holiday_presets import school_fortnights

        days = school_fortnights(first_day, until=until, limit=limit)
        if days is not None:
            return days
    step = timedelta(weeks=1 if recurrence == Recurrence.WEEKLY else 2)
    days, day = [], first_day
    while len(days) < limit and (until is None or day <= until):
        days.append(day)
        day += step
    return days


def uses_school_weeks(space: Space) -> bool:
    """A school's fortnightly series follow its A/B weeks (the week view and the request
    preview letter a school's weeks the same way)."""
    from app.spaces.models import ProviderKind

    return space.provider.kind == ProviderKind.SCHOOL


def slot_for(day: date, start: time, end: time, loan_days: int = 0) -> tuple[datetime, datetime]:
    """Warsaw wall-clock times on ``day`` as UTC: 18:00 stays 18:00 across DST changes. A loan
    over several days (equipment) ends ``loan_days`` later at ``end``: picked up Friday 16:00,
    returned Monday 09:00, whatever the clocks did over the weekend."""
    if loan_days:
        return local_to_utc(day, start), local_to_utc(day + timedelta(days=loan_days), end)
    ends_day = day + timedelta(days=1) if end == time(0) else day
    return local_to_utc(day, start), local_to_utc(ends_day, end)


MAX_LOAN_DAYS = 30


# --- availability rules ------------------------------------------------------------------


def closures_for(space: Space, first: date, last: date) -> list[Closure]:
    return list(
        db.session.scalars(
            sa.select(Closure).where(
                sa.or_(Closure.space_id == space.id, Closure.provider_id == space.provider_id),
                Closure.starts_on <= last,
                Closure.ends_on >= first,
            )
        )
    )


def closures_by_space(spaces: Sequence[Space], first: date, last: date) -> dict[int, list[Closure]]:
    """``closures_for`` of many spaces in one query (lists, reports, matching)."""
    space_ids = [s.id for s in spaces]
    provider_ids = {s.provider_id for s in spaces}
    rows = (
        db.session.scalars(
            sa.select(Closure).where(
                sa.or_(Closure.space_id.in_(space_ids), Closure.provider_id.in_(provider_ids)),
                Closure.starts_on <= last,
                Closure.ends_on >= first,
            )
        ).all()
        if spaces
        else []
    )
    return {
        space.id: [c for c in rows if c.space_id == space.id or c.provider_id == space.provider_id]
        for space in spaces
    }


def opening_intervals(space: Space, day: date) -> list[tuple[time, time]]:
    """Local opening intervals of ``day``; a space without any hours is open all day."""
    if not space.opening_hours:
        return [(time(0), time(23, 59, 59))]
    return [(h.opens, h.closes) for h in space.opening_hours if h.weekday == day.weekday()]


def rule_problems(
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime | None = None,
    closures: Iterable[Closure] | None = None,
    busy: Iterable[tuple[datetime, datetime]] | None = None,
    check_notice: bool = True,
    horizon_until: date | None = None,
) -> list[str]:
    """Why this slot cannot be requested (opening hours, closures, busy times imported from
    the provider's calendars, notice, length, horizon). ``closures`` and ``busy`` may be
    read once for many slots (``closures_for``, ``imported_busy``). ``horizon_until``: a
    round's series, bookable to the end of its season (``BookingSeries.horizon_until``)."""
    now = now or utcnow()
    problems: list[str] = []
    local_start, local_end = to_local(starts_at), to_local(ends_at)
    day = local_start.date()
    if ends_at <= starts_at:
        return [_("Koniec musi być po początku.")]
    if check_notice and starts_at < now + timedelta(hours=space.min_notice_hours):
        problems.append(
            _(
                "Za późno: rezerwację trzeba złożyć co najmniej %(hours)s h wcześniej.",
                hours=space.min_notice_hours,
            )
        )
    horizon = to_local(now).date() + timedelta(days=space.max_days_ahead)
    if day > max(horizon, horizon_until or horizon):
        problems.append(
            _("Za daleko: można rezerwować do %(days)s dni naprzód.", days=space.max_days_ahead)
        )
    return_day = local_end.date()
    # A loan over several days: picked up on ``day``, returned on ``return_day`` (both within
    # opening hours, neither closed); the equipment is away in between.
    multi_day = return_day > day and not (
        return_day == day + timedelta(days=1) and local_end.time() == time(0)
    )
    if multi_day:
        if space.kind != SpaceKind.EQUIPMENT or not space.max_loan_days:
            problems.append(_("Tę przestrzeń można zarezerwować tylko w obrębie jednego dnia."))
        elif (return_day - day).days > space.max_loan_days:
            problems.append(
                ngettext(
                    "Za długo: najdłuższe wypożyczenie to %(num)d dzień.",
                    "Za długo: najdłuższe wypożyczenie to %(num)d dni.",
                    space.max_loan_days,
                )
            )
    elif ends_at - starts_at > timedelta(minutes=space.max_length_minutes):
        problems.append(
            _(
                "Za długo: najdłuższa rezerwacja to %(minutes)s min.",
                minutes=space.max_length_minutes,
            )
        )
    if multi_day:
        picks_up = any(
            opens <= local_start.time() < closes for opens, closes in opening_intervals(space, day)
        )
        returns = any(
            opens < local_end.time() <= closes
            for opens, closes in opening_intervals(space, return_day)
        )
        if not picks_up:
            problems.append(_("Odbiór poza godzinami otwarcia."))
        if not returns:
            problems.append(_("Zwrot poza godzinami otwarcia."))
    else:
        end_clock = local_end.time() if local_end.date() == day else time(23, 59, 59)
        if not any(
            opens <= local_start.time() and end_clock <= closes
            for opens, closes in opening_intervals(space, day)
        ):
            problems.append(_("Poza godzinami otwarcia."))
    handover_days = {day, return_day} if multi_day else {day}
    if closures is None:
        closures = closures_for(space, day, max(handover_days))
    for closure in closures:
        if any(closure.starts_on <= d <= closure.ends_on for d in handover_days):
            problems.append(_("Zamknięte: %(reason)s", reason=closure_label(closure)))
    # A seasonal allocation round holds these hours (app/spaces/rounds/holds.py).
    problems += round_hold_problems(space.id, starts_at, ends_at)
    if busy is None:
        busy = imported_busy([space], starts_at, ends_at + timedelta(minutes=space.buffer_minutes))
        busy = busy.get(space.id, [])
    if blocked_by_import(space, starts_at, ends_at, busy):
        problems.append(_("Zajęte (kalendarz szkoły)."))
    return problems


def imported_busy(
    spaces: Sequence[Space], first: datetime, last: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Busy intervals imported from the providers' own calendars (app/calendars/imports),
    per space, touching [first, last)."""
    return busy_by_space(spaces, first, last)


def blocked_by_import(
    space: Space, starts_at: datetime, ends_at: datetime, busy: Iterable[tuple[datetime, datetime]]
) -> bool:
    """An imported event blocks the slot as a booking would: the slot plus the space's buffer
    (set-up and cleaning) must not overlap it."""
    blocked_until = ends_at + timedelta(minutes=space.buffer_minutes)
    return any(start < blocked_until and starts_at < end for start, end in busy)


def decision_problems(
    space: Space, bookings: Iterable[Booking], *, now=None
) -> dict[int, list[str]]:
    """The request's rules checked again for occurrences about to hold their slot (approval,
    auto-approval): a closure, new hours or a shorter horizon may have come since they were
    requested. The minimum notice binds the request, not the provider's decision. The inbox
    and the series page show the same problems before anyone decides."""
    bookings = list(bookings)
    if not bookings:
        return {}
    days = [to_local(b.starts_at).date() for b in bookings]
    last = max(to_local(b.ends_at).date() for b in bookings)
    closures = closures_for(space, min(days), last)
    busy = imported_busy(
        [space],
        min(b.starts_at for b in bookings),
        max(b.ends_at for b in bookings) + timedelta(minutes=space.buffer_minutes),
    ).get(space.id, [])
    found = {}
    for booking in bookings:
        problems = rule_problems(
            space,
            booking.starts_at,
            booking.ends_at,
            now=now,
            closures=closures,
            busy=busy,
            check_notice=False,
            horizon_until=booking.series.horizon_until,
        )
        if problems:
            found[booking.id] = problems
    return found


CLOSURE_REASONS = {
    "school_holiday": _l("ferie lub wakacje szkolne"),
    "public_holiday": _l("dzień ustawowo wolny od pracy"),
    "renovation": _l("remont"),
    "other": _l("inna przyczyna"),
}


def closure_label(closure: Closure) -> str:
    label = str(CLOSURE_REASONS[closure.reason.value])
    return f"{label} ({closure.note})" if closure.note else label


def all_rooms(spaces: Iterable[Space]) -> bool:
    """Whether ``slot_holders`` may bound its read by ``ROOM_OCCURRENCE_SPAN``."""
    return all(space.kind == SpaceKind.ROOM for space in spaces)


def slot_holders(
    space_ids: Sequence[int],
    first: datetime,
    last: datetime,
    *,
    slots: Sequence[tuple[datetime, datetime]] = (),
    margin: timedelta = timedelta(hours=12),
    with_series: bool = False,
    rooms: bool = False,
) -> dict[int, list[Booking]]:
    """Slot-holding occurrences touching [first, last) per space, in one query. With ``slots``
    (a weekly pattern), only those within ``margin`` of some slot are read. A room's list
    includes the bookings of the rooms sharing a smallest space with it (combined rooms:
    ``service.combined``), since they are in its way as much as its own. ``with_series``:
    their series too, joined in the same query (the week view shows their titles; a separate
    ``selectinload`` made the statement count depend on whether any booking was found).
    ``rooms``: every space is a room (``all_rooms``), so only bookings that started
    within ``ROOM_OCCURRENCE_SPAN`` before the window are read, a short range of
    ``ix_bookings_space_time`` per room instead of its whole future or past."""
    from app.spaces.service.combined import sharing_spaces

    sharing = sharing_spaces(space_ids)
    query = sa.select(Booking).where(
        Booking.space_id.in_(set().union(*sharing.values()) if sharing else ()),
        Booking.status.in_(SLOT_HOLDING_STATUSES),
        Booking.starts_at < last,
        Booking.blocked_until > first,
    )
    if rooms:
        query = query.where(Booking.starts_at > first - ROOM_OCCURRENCE_SPAN)
    if slots:
        query = query.where(
            sa.or_(
                *(
                    sa.and_(
                        Booking.starts_at < end + margin,
                        Booking.blocked_until > start - margin,
                        *(
                            [Booking.starts_at > start - margin - ROOM_OCCURRENCE_SPAN]
                            if rooms
                            else []
                        ),
                    )
                    for start, end in slots
                )
            )
        )
    if with_series:
        # (with its organisation: the week grid hides the title of a profile staff hid)
        query = query.options(
            joinedload(Booking.series, innerjoin=True).joinedload(BookingSeries.organisation)
        )
    wanted_by: dict[int, list[int]] = defaultdict(list)
    for space_id, shared in sharing.items():
        for other in shared:
            wanted_by[other].append(space_id)
    result: dict[int, list[Booking]] = defaultdict(list)
    for booking in db.session.scalars(query.order_by(Booking.starts_at)):
        for space_id in wanted_by[booking.space_id]:
            result[space_id].append(booking)
    return result


def conflicts_for(
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    quantity: int = 1,
    *,
    holders: Iterable[Booking] | None = None,
    ignore_ids: Iterable[int] = (),
) -> list[Booking]:
    """Slot-holding occurrences that leave no room for this one (buffer included for rooms;
    for equipment: those overlapping when the quantity would exceed the stock)."""
    blocked_until = ends_at + timedelta(minutes=space.buffer_minutes)
    if holders is None:
        holders = slot_holders(
            [space.id], starts_at - timedelta(days=1), blocked_until, rooms=all_rooms([space])
        )[space.id]
    ignore = set(ignore_ids)
    overlapping = [
        b
        for b in holders
        if b.id not in ignore
        and b.status in SLOT_HOLDING_STATUSES
        and b.starts_at < blocked_until
        and starts_at < b.blocked_until
    ]
    if space.kind == SpaceKind.ROOM or not overlapping:
        return overlapping
    if peak_quantity(overlapping, starts_at, ends_at) + quantity > space.stock:
        return overlapping
    return []


def conflict_reasons(
    space: Space, starts_at: datetime, ends_at: datetime, conflicts: Sequence[Booking]
) -> list[str]:
    """Why ``conflicts`` (from ``conflicts_for``) leave no room, beyond the list of them: for
    equipment, how many pieces remain at that time; for a room taken only by the break between
    bookings, the break and the time that would fit. Every refusal of a taken slot says this
    (preview, request, approval, move, re-add, venue matching)."""
    if not conflicts:
        return []
    if space.kind == SpaceKind.EQUIPMENT:
        left = max(space.stock - peak_quantity(conflicts, starts_at, ends_at), 0)
        return [
            ngettext(
                "W tym czasie dostępna jest %(num)d sztuka z %(stock)d.",
                "W tym czasie dostępnych jest %(num)d sztuk z %(stock)d.",
                left,
                stock=space.stock,
            )
        ]
    combined = sorted({b.space.name for b in conflicts if b.space_id != space.id})
    if combined:
        # Combined rooms: the hall as a whole, or a part of it, is booked then.
        return [
            _(
                "Sala dzieli powierzchnię z: %(names)s – ta rezerwacja zajmuje również tę salę.",
                names=", ".join(combined),
            )
        ]
    if any(b.starts_at < ends_at and starts_at < b.ends_at for b in conflicts):
        return []  # the room is simply in use then
    reasons = []
    earlier = [b for b in conflicts if b.ends_at <= starts_at]
    if earlier:
        last = max(earlier, key=lambda b: b.blocked_until)
        reasons.append(
            ngettext(
                "%(num)d minuta przerwy między rezerwacjami: sala wolna od %(time)s.",
                "%(num)d minut przerwy między rezerwacjami: sala wolna od %(time)s.",
                round((last.blocked_until - last.ends_at).total_seconds() / 60),
                time=format_time(to_local(last.blocked_until), "HH:mm"),
            )
        )
    later = [b for b in conflicts if b.starts_at >= ends_at]
    if later:
        must_end = min(b.starts_at for b in later) - timedelta(minutes=space.buffer_minutes)
        reasons.append(
            ngettext(
                "%(num)d minuta przerwy między rezerwacjami: rezerwacja musi się skończyć "
                "do %(time)s.",
                "%(num)d minut przerwy między rezerwacjami: rezerwacja musi się skończyć "
                "do %(time)s.",
                space.buffer_minutes,
                time=format_time(to_local(must_end), "HH:mm"),
            )
        )
    return reasons


def peak_quantity(bookings: Iterable[Booking], starts_at: datetime, ends_at: datetime) -> int:
    """The most pieces lent at any moment within [starts_at, ends_at)."""
    events = []
    for b in bookings:
        begin, end = max(b.starts_at, starts_at), min(b.blocked_until, ends_at)
        if begin < end:
            events += [(begin, 1, b.quantity), (end, 0, -b.quantity)]
    peak = current = 0
    for _moment, _order, delta in sorted(events):
        current += delta
        peak = max(peak, current)
    return peak


def pending_competitors(booking: Booking) -> list[Booking]:
    """Pending requests of other series for the same space and time (shown before deciding),
    and of the rooms sharing a smallest space with it (combined rooms)."""
    from app.spaces.service.combined import sharing_spaces

    shared = sharing_spaces([booking.space_id])[booking.space_id]
    return list(
        db.session.scalars(
            sa.select(Booking)
            .options(selectinload(Booking.series).selectinload(BookingSeries.organisation))
            .where(
                Booking.space_id.in_(shared),
                Booking.series_id != booking.series_id,
                Booking.status == BookingStatus.PENDING,
                Booking.starts_at < booking.blocked_until,
                Booking.blocked_until > booking.starts_at,
            )
            .order_by(Booking.starts_at)
        )
    )
