"""Spaces domain logic: availability rules, recurrence, booking requests and their approval.

Views, CLI commands and tests call these plain functions. Functions that change bookings run as
one unit of work inside ``app.db.write_lock`` and either finish completely or raise
``BookingError`` with nothing written.

How double booking is made impossible (see also docs/spaces.md):

* Rooms, PostgreSQL: the exclusion constraint ``ex_bookings_no_overlap`` (migration 0005_spaces.py)
  refuses two slot-holding occurrences of one room whose ``[starts_at, blocked_until)`` ranges
  overlap. Whatever path writes a booking (this module, a future API, an admin's SQL), the
  database will not store a double booking; its IntegrityError becomes ``BookingConflict``.
* Every writer of one space, PostgreSQL: ``SELECT ... FOR UPDATE`` on the space row first. For
  equipment this is the guard (a sum of quantities cannot be a constraint): the check that
  follows sees every committed booking and nobody else can commit in between. For rooms it
  orders concurrent approvals so that declining the losers never deadlocks with a competing
  approval, and the check can name the booking in the way.
* SQLite (both): ``write_lock`` starts the transaction with ``BEGIN IMMEDIATE``, so there is one
  writer at a time and "check, then write" cannot interleave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_datetime, format_time, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import slugs
from app.db import utcnow, write_lock
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Membership, Organisation
from app.spaces.models import (
    OPEN_STATUSES,
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    Provider,
    ProviderManager,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)
from app.timeutil import local_to_utc, local_today, to_local

MAX_OCCURRENCES = 60


class BookingError(Exception):
    """A booking action that cannot be done; ``message`` is shown to the user."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BookingConflict(BookingError):
    """The slot is taken (HTTP 409); ``conflicts`` are the bookings in the way."""

    status_code = 409

    def __init__(self, message: str, conflicts: Sequence[Booking] = (), booking=None):
        super().__init__(message)
        self.conflicts = list(conflicts)
        self.booking = booking


# --- recurrence ------------------------------------------------------------------------------


def occurrence_days(
    recurrence: Recurrence, first_day: date, *, until: date | datetime | None, count: int | None
) -> list[date]:
    """The local days of a series. ``until`` is inclusive whatever its time of day; ``count``
    limits the number. Fortnightly series express school A/B weeks (start on an A-week day)."""
    if recurrence == Recurrence.ONCE:
        return [first_day]
    if isinstance(until, datetime):
        until = to_local(until).date() if until.tzinfo else until.date()
    step = timedelta(weeks=1 if recurrence == Recurrence.WEEKLY else 2)
    limit = min(count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    days, day = [], first_day
    while len(days) < limit and (until is None or day <= until):
        days.append(day)
        day += step
    return days


def slot_for(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Warsaw wall-clock times on ``day`` as UTC: 18:00 stays 18:00 across DST changes."""
    ends_day = day + timedelta(days=1) if end == time(0) else day
    return local_to_utc(day, start), local_to_utc(ends_day, end)


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
    check_notice: bool = True,
) -> list[str]:
    """Why this slot cannot be requested (opening hours, closures, notice, length, horizon)."""
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
    if day > to_local(now).date() + timedelta(days=space.max_days_ahead):
        problems.append(
            _("Za daleko: można rezerwować do %(days)s dni naprzód.", days=space.max_days_ahead)
        )
    if ends_at - starts_at > timedelta(minutes=space.max_length_minutes):
        problems.append(
            _(
                "Za długo: najdłuższa rezerwacja to %(minutes)s min.",
                minutes=space.max_length_minutes,
            )
        )
    end_clock = local_end.time() if local_end.date() == day else time(23, 59, 59)
    if not any(
        opens <= local_start.time() and end_clock <= closes
        for opens, closes in opening_intervals(space, day)
    ):
        problems.append(_("Poza godzinami otwarcia."))
    if closures is None:
        closures = closures_for(space, day, day)
    for closure in closures:
        if closure.starts_on <= day <= closure.ends_on:
            problems.append(_("Zamknięte: %(reason)s", reason=closure_label(closure)))
    return problems


CLOSURE_REASONS = {
    "school_holiday": _l("ferie lub wakacje szkolne"),
    "public_holiday": _l("dzień ustawowo wolny od pracy"),
    "renovation": _l("remont"),
    "other": _l("inna przyczyna"),
}


def closure_label(closure: Closure) -> str:
    label = str(CLOSURE_REASONS[closure.reason.value])
    return f"{label} ({closure.note})" if closure.note else label


def slot_holders(
    space_ids: Sequence[int],
    first: datetime,
    last: datetime,
    *,
    slots: Sequence[tuple[datetime, datetime]] = (),
    margin: timedelta = timedelta(hours=12),
) -> dict[int, list[Booking]]:
    """Slot-holding occurrences touching [first, last) per space, in one query. With ``slots``
    (a weekly pattern), only those within ``margin`` of some slot are read."""
    query = sa.select(Booking).where(
        Booking.space_id.in_(space_ids),
        Booking.status.in_(SLOT_HOLDING_STATUSES),
        Booking.starts_at < last,
        Booking.blocked_until > first,
    )
    if slots:
        query = query.where(
            sa.or_(
                *(
                    sa.and_(
                        Booking.starts_at < end + margin, Booking.blocked_until > start - margin
                    )
                    for start, end in slots
                )
            )
        )
    rows = db.session.scalars(query.order_by(Booking.starts_at))
    result: dict[int, list[Booking]] = defaultdict(list)
    for booking in rows:
        result[booking.space_id].append(booking)
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
        holders = slot_holders([space.id], starts_at - timedelta(days=1), blocked_until)[space.id]
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
    """Pending requests of other series for the same space and time (shown before deciding)."""
    return list(
        db.session.scalars(
            sa.select(Booking)
            .options(selectinload(Booking.series).selectinload(BookingSeries.organisation))
            .where(
                Booking.space_id == booking.space_id,
                Booking.series_id != booking.series_id,
                Booking.status == BookingStatus.PENDING,
                Booking.starts_at < booking.blocked_until,
                Booking.blocked_until > booking.starts_at,
            )
            .order_by(Booking.starts_at)
        )
    )


# --- planning and requesting -----------------------------------------------------------------


@dataclass
class BookingRequest:
    purpose: str
    people: int
    first_day: date
    start_time: time
    end_time: time
    recurrence: Recurrence = Recurrence.ONCE
    until: date | None = None
    count: int | None = None
    is_public: bool = False
    public_title: str = ""
    quantity: int = 1


@dataclass
class PlannedOccurrence:
    starts_at: datetime
    ends_at: datetime
    problems: list[str] = field(default_factory=list)
    conflicts: list[Booking] = field(default_factory=list)
    competing: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflicts


def request_problems(space: Space, request: BookingRequest) -> list[str]:
    problems = []
    if request.start_time >= request.end_time and request.end_time != time(0):
        problems.append(_("Godzina końca musi być późniejsza niż godzina początku."))
    if space.kind == SpaceKind.ROOM and space.capacity and request.people > space.capacity:
        problems.append(
            ngettext(
                "Sala mieści najwyżej %(num)d osobę.",
                "Sala mieści najwyżej %(num)d osób.",
                space.capacity,
            )
        )
    if space.kind == SpaceKind.EQUIPMENT and request.quantity > space.stock:
        problems.append(
            ngettext(
                "Dostępna jest najwyżej %(num)d sztuka.",
                "Dostępnych jest najwyżej %(num)d sztuk.",
                space.stock,
            )
        )
    if request.is_public and not request.public_title.strip():
        problems.append(_("Podaj tytuł publiczny wydarzenia otwartego."))
    return problems


def plan_request(
    space: Space, request: BookingRequest, *, now: datetime | None = None
) -> list[PlannedOccurrence]:
    """Every occurrence of the request with its rule problems and conflicts (a preview)."""
    days = occurrence_days(
        request.recurrence, request.first_day, until=request.until, count=request.count
    )
    slots = [slot_for(day, request.start_time, request.end_time) for day in days]
    if not slots:
        return []
    closures = closures_for(space, days[0], days[-1])
    buffer = timedelta(minutes=space.buffer_minutes)
    holders = slot_holders([space.id], slots[0][0] - timedelta(days=1), slots[-1][1] + buffer)[
        space.id
    ]
    pending = list(
        db.session.scalars(
            sa.select(Booking).where(
                Booking.space_id == space.id,
                Booking.status == BookingStatus.PENDING,
                Booking.starts_at < slots[-1][1] + buffer,
                Booking.blocked_until > slots[0][0],
            )
        )
    )
    planned = []
    for starts_at, ends_at in slots:
        item = PlannedOccurrence(
            starts_at,
            ends_at,
            rule_problems(space, starts_at, ends_at, now=now, closures=closures),
            conflicts_for(space, starts_at, ends_at, request.quantity, holders=holders),
        )
        item.competing = sum(
            1 for b in pending if b.starts_at < ends_at + buffer and starts_at < b.blocked_until
        )
        planned.append(item)
    return planned


def create_request(
    space: Space,
    organisation: Organisation,
    user,
    request: BookingRequest,
    *,
    now: datetime | None = None,
) -> BookingSeries:
    """Record a request. Occurrences that break a rule or clash with a confirmed booking are
    kept as SKIPPED (they can be re-added later). Verified NGOs are approved at once where the
    provider switched auto-approval on."""
    problems = request_problems(space, request)
    if problems:
        raise BookingError(" ".join(problems))
    space_id, organisation_id = space.id, organisation.id
    auto = space.auto_approves_verified and organisation.is_verified
    with booking_transaction():
        space = _lock_space(space_id)
        planned = plan_request(space, request, now=now)
        if not any(p.ok for p in planned):
            raise BookingConflict(
                _("Żaden z terminów nie jest dostępny."),
                [c for p in planned for c in p.conflicts],
            )
        series = BookingSeries(
            space=space,
            organisation_id=organisation_id,
            requested_by=user,
            purpose=request.purpose.strip(),
            people=request.people,
            quantity=request.quantity,
            is_public=request.is_public,
            public_title=request.public_title.strip() if request.is_public else "",
            recurrence=request.recurrence,
            first_day=request.first_day,
            until=request.until,
            count=request.count,
            start_time=request.start_time,
            end_time=request.end_time,
            confirmed_term=term_of(request.first_day),
        )
        db.session.add(series)
        for item in planned:
            status = BookingStatus.PENDING if item.ok else BookingStatus.SKIPPED
            reason = "" if item.ok else " ".join(item.problems) or _("Termin zajęty.")
            booking = _new_occurrence(series, space, item.starts_at, item.ends_at, status, reason)
            _record(booking, None, status, user, reason)
        db.session.flush()
        if auto:
            _approve_locked(
                space,
                [b for b in series.occurrences if b.status == BookingStatus.PENDING],
                user,
                reason=_("Zatwierdzono automatycznie (organizacja zweryfikowana)."),
            )
        _notify_request(series, auto)
    return series


def _new_occurrence(series, space, starts_at, ends_at, status, reason="") -> Booking:
    booking = Booking(
        series=series,
        space=space,
        exclusive=space.kind == SpaceKind.ROOM,
        quantity=series.quantity,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at + timedelta(minutes=space.buffer_minutes),
        status=status,
        status_reason=reason,
    )
    db.session.add(booking)
    return booking


def _record(booking: Booking, old, new, actor, reason: str = "") -> None:
    booking.history.append(
        BookingStatusChange(
            from_status=old, to_status=new, actor=actor, reason=(reason or "")[:500]
        )
    )


def _set_status(booking: Booking, new: BookingStatus, actor, reason: str = "") -> None:
    old = booking.status
    booking.status = new
    booking.status_reason = (reason or "")[:500]
    booking.sequence += 1
    _record(booking, old, new, actor, reason)


def _lock_space(space_id: int) -> Space:
    """Serialise writers of one space (see the module docstring). SQLite: ``write_lock``
    already holds the database's single write lock. PostgreSQL: lock the space row."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(Space.id).where(Space.id == space_id).with_for_update())
    space = db.session.get(Space, space_id, populate_existing=True)
    if space is None:
        raise BookingError(_("Nie ma takiej przestrzeni."))
    return space


@contextmanager
def booking_transaction():
    """One unit of work on bookings: ``write_lock`` (commit or roll back as a whole), with the
    exclusion constraint's refusal turned into a ``BookingConflict`` (HTTP 409)."""
    try:
        with write_lock(db.session()):
            yield
    except IntegrityError as error:
        if "ex_bookings_no_overlap" not in str(error.orig):
            raise
        raise BookingConflict(
            _("Ten termin został właśnie zajęty przez inną rezerwację.")
        ) from error


def _write_now() -> None:
    """Flush now, so a refused overlap surfaces at this occurrence (``booking_transaction``
    turns it into a conflict) rather than in some later autoflush."""
    db.session.flush()


# --- decisions -------------------------------------------------------------------------------


def approve(bookings: Sequence[Booking], actor, *, reason: str = "") -> list[Booking]:
    """Approve pending occurrences, all or nothing. Overlapping pending requests of others that
    can no longer fit are declined with a reason and their organisations are told."""
    if not bookings:
        raise BookingError(_("Nie ma oczekujących terminów do zatwierdzenia."))
    space_id = bookings[0].space_id
    ids = [b.id for b in bookings]
    try:
        with booking_transaction():
            space = _lock_space(space_id)
            fresh = list(
                db.session.scalars(
                    sa.select(Booking)
                    .where(Booking.id.in_(ids))
                    .order_by(Booking.starts_at)
                    .execution_options(populate_existing=True)
                )
            )
            fresh = [b for b in fresh if b.status == BookingStatus.PENDING]
            if not fresh:
                raise BookingConflict(
                    _("Nie ma już oczekujących terminów: decyzję właśnie podjęto.")
                )
            _approve_locked(space, fresh, actor, reason=reason)
    except BookingConflict as conflict:
        if not conflict.conflicts:
            conflict.conflicts = _current_conflicts(ids)
        raise
    return fresh


def _approve_locked(space: Space, bookings: Sequence[Booking], actor, *, reason="") -> None:
    for booking in bookings:
        conflicts = conflicts_for(
            space, booking.starts_at, booking.ends_at, booking.quantity, ignore_ids=[booking.id]
        )
        if conflicts:
            raise BookingConflict(
                _("Termin %(when)s jest już zajęty.", when=format_slot(booking)),
                conflicts,
                booking,
            )
        _set_status(booking, BookingStatus.APPROVED, actor, reason)
        _write_now()
    _notify_series(bookings, "approved", reason)
    _decline_losers(space, bookings, actor)


def _decline_losers(space: Space, approved: Sequence[Booking], actor) -> None:
    """Pending requests that no longer fit are declined, never silently: each organisation
    gets the reason."""
    approved_ids = {b.id for b in approved}
    losers: list[Booking] = []
    for booking in approved:
        for other in pending_competitors(booking):
            if other.id in approved_ids or other in losers:
                continue
            if conflicts_for(space, other.starts_at, other.ends_at, other.quantity):
                losers.append(other)
    reason = _("Termin przyznano innej organizacji, której wniosek zatwierdzono wcześniej.")
    for other in losers:
        _set_status(other, BookingStatus.DECLINED, actor, reason)
    by_series: dict[int, list[Booking]] = defaultdict(list)
    for other in losers:
        by_series[other.series_id].append(other)
    for group in by_series.values():
        _notify_series(group, "declined", reason)


def _current_conflicts(ids: Sequence[int]) -> list[Booking]:
    db.session.rollback()
    found = []
    for booking in db.session.scalars(sa.select(Booking).where(Booking.id.in_(ids))):
        found += conflicts_for(
            booking.space,
            booking.starts_at,
            booking.ends_at,
            booking.quantity,
            ignore_ids=[booking.id],
        )
    return found


def decline(bookings: Sequence[Booking], actor, reason: str) -> list[Booking]:
    if not reason.strip():
        raise BookingError(_("Podaj powód odmowy."))
    with booking_transaction():
        changed = [b for b in bookings if b.status == BookingStatus.PENDING]
        if not changed:
            raise BookingError(_("Nie ma oczekujących terminów do odrzucenia."))
        for booking in changed:
            _set_status(booking, BookingStatus.DECLINED, actor, reason)
        _notify_series(changed, "declined", reason)
    return changed


def cancel(bookings: Sequence[Booking], actor, reason: str, *, by_provider: bool) -> list[Booking]:
    """Either side cancels pending or approved future occurrences, with a reason."""
    if not reason.strip():
        raise BookingError(_("Podaj powód odwołania."))
    now = utcnow()
    with booking_transaction():
        changed = [b for b in bookings if b.status in OPEN_STATUSES and b.ends_at > now]
        if not changed:
            raise BookingError(_("Nie ma terminów, które można odwołać."))
        for booking in changed:
            _set_status(booking, BookingStatus.CANCELLED, actor, reason)
        _notify_series(changed, "cancelled", reason, to_provider=not by_provider)
    return changed


def move(
    booking: Booking,
    day: date,
    start: time,
    end: time,
    actor,
    *,
    by_provider: bool,
    now: datetime | None = None,
) -> Booking:
    """Move one occurrence; the rest of the series stays. A move by the NGO needs approval
    again; a move by the provider keeps the approval (if the new slot is free)."""
    starts_at, ends_at = slot_for(day, start, end)
    booking_id = booking.id
    with booking_transaction():
        space = _lock_space(booking.space_id)
        booking = db.session.get(Booking, booking_id, populate_existing=True)
        if booking.status not in OPEN_STATUSES:
            raise BookingError(_("Tego terminu nie można już przenieść."))
        problems = rule_problems(space, starts_at, ends_at, now=now, check_notice=not by_provider)
        if problems:
            raise BookingError(" ".join(problems))
        conflicts = conflicts_for(
            space, starts_at, ends_at, booking.quantity, ignore_ids=[booking.id]
        )
        if conflicts:
            raise BookingConflict(_("Nowy termin jest zajęty."), conflicts, booking)
        old_status = booking.status
        booking.starts_at, booking.ends_at = starts_at, ends_at
        booking.blocked_until = ends_at + timedelta(minutes=space.buffer_minutes)
        booking.sequence += 1
        new_status = BookingStatus.PENDING
        if old_status == BookingStatus.APPROVED and by_provider:
            new_status = BookingStatus.APPROVED
        booking.status = new_status
        _record(
            booking,
            old_status,
            new_status,
            actor,
            _("Przeniesiono na %(when)s.", when=format_slot(booking)),
        )
        _write_now()
        _notify_series([booking], "moved", "", to_provider=not by_provider)
    return booking


READDABLE_STATUSES = (BookingStatus.SKIPPED, BookingStatus.CANCELLED, BookingStatus.RELEASED)


def readd(booking: Booking, actor, *, now: datetime | None = None) -> Booking:
    """Ask again for an occurrence that was skipped, cancelled, declined or released."""
    booking_id = booking.id
    with booking_transaction():
        space = _lock_space(booking.space_id)
        booking = db.session.get(Booking, booking_id, populate_existing=True)
        # Not DECLINED: that was the provider's decision, a new request is a new series.
        if booking.status not in READDABLE_STATUSES:
            raise BookingError(_("Ten termin jest już w rezerwacji."))
        problems = rule_problems(space, booking.starts_at, booking.ends_at, now=now)
        if problems:
            raise BookingError(" ".join(problems))
        conflicts = conflicts_for(space, booking.starts_at, booking.ends_at, booking.quantity)
        if conflicts:
            raise BookingConflict(_("Termin jest nadal zajęty."), conflicts, booking)
        _set_status(booking, BookingStatus.PENDING, actor, _("Ponowny wniosek."))
        auto = space.auto_approves_verified and booking.series.organisation.is_verified
        if auto:
            _approve_locked(space, [booking], actor, reason=_("Zatwierdzono automatycznie."))
        _notify_request(booking.series, auto, [booking])
    return booking


def mark_no_show(booking: Booking, actor, reason: str = "") -> Booking:
    with booking_transaction():
        if booking.status != BookingStatus.APPROVED or booking.starts_at > utcnow():
            raise BookingError(
                _("Nieobecność można zaznaczyć tylko dla minionego, zatwierdzonego terminu.")
            )
        _set_status(
            booking, BookingStatus.NO_SHOW, actor, reason or _("Nie skorzystano z rezerwacji.")
        )
    return booking


# --- terms and re-confirmation ---------------------------------------------------------------


def term_of(day: date) -> str:
    """School terms: winter (September–January) and summer (February–August)."""
    if day.month >= 9:
        return f"{day.year}-Z"
    if day.month == 1:
        return f"{day.year - 1}-Z"
    return f"{day.year}-L"


def term_bounds(term: str) -> tuple[date, date]:
    year, half = int(term[:4]), term[-1]
    if half == "Z":
        return date(year, 9, 1), date(year + 1, 1, 31)
    return date(year, 2, 1), date(year, 8, 31)


RECONFIRM_DAYS = 14


def confirm_for_term(series: BookingSeries, actor, *, today: date | None = None) -> None:
    today = today or local_today()
    with booking_transaction():
        series.confirmed_term = term_of(today)
        series.reconfirm_deadline = None


def run_reconfirmation(*, today: date | None = None) -> dict[str, int]:
    """Daily (cron): standing weekly bookings not confirmed for the current term are asked to
    re-confirm; after ``RECONFIRM_DAYS`` their future occurrences are released with notice."""
    today = today or local_today()
    term = term_of(today)
    start_of_today = local_to_utc(today, time(0))
    asked = released = 0
    with booking_transaction():
        series_list = db.session.scalars(
            sa.select(BookingSeries)
            .where(
                BookingSeries.recurrence != Recurrence.ONCE,
                sa.or_(
                    BookingSeries.confirmed_term.is_(None), BookingSeries.confirmed_term != term
                ),
                BookingSeries.occurrences.any(
                    sa.and_(Booking.status.in_(OPEN_STATUSES), Booking.starts_at >= start_of_today)
                ),
            )
            .order_by(BookingSeries.id)
        ).all()
        for series in series_list:
            if series.reconfirm_deadline is None:
                series.reconfirm_deadline = today + timedelta(days=RECONFIRM_DAYS)
                _mail_organisation(
                    series,
                    _l("Potwierdź stałą rezerwację na nowy semestr"),
                    "spaces/mail/reconfirm.txt",
                    topic=f"reconfirm:{series.id}:{term}",
                )
                asked += 1
            elif series.reconfirm_deadline < today:
                future = [
                    b
                    for b in series.occurrences
                    if b.status in OPEN_STATUSES and b.starts_at >= start_of_today
                ]
                reason = _("Nie potwierdzono stałej rezerwacji na nowy semestr.")
                for booking in future:
                    _set_status(booking, BookingStatus.RELEASED, None, reason)
                series.reconfirm_deadline = None
                series.confirmed_term = term
                _notify_series(future, "released", reason, to_provider=True)
                released += 1
    return {"asked": asked, "released": released}


# --- barter ----------------------------------------------------------------------------------


@dataclass
class BarterLedger:
    provider: Provider
    organisation: Organisation
    owed: Decimal
    upcoming: Decimal
    delivered: Decimal
    deliveries: list[BarterDelivery]
    bookings: list[Booking]

    @property
    def outstanding(self) -> Decimal:
        return max(self.owed - self.delivered, Decimal(0))


def _barter_hours(booking: Booking) -> Decimal:
    ratio = booking.space.barter_hours_per_hour or Decimal(1)
    hours = Decimal(int(booking.duration.total_seconds())) / Decimal(3600)
    return (hours * ratio).quantize(Decimal("0.01"))


def barter_ledger(provider: Provider, organisation: Organisation, *, now=None) -> BarterLedger:
    """Owed: barter occurrences that held a slot and have started; upcoming: approved future
    ones; delivered: what the provider recorded."""
    now = now or utcnow()
    bookings = list(
        db.session.scalars(
            sa.select(Booking)
            .join(BookingSeries)
            .join(Space, Booking.space_id == Space.id)
            .where(
                Space.provider_id == provider.id,
                Space.terms == TermsKind.BARTER,
                BookingSeries.organisation_id == organisation.id,
                Booking.status.in_(SLOT_HOLDING_STATUSES),
            )
            .order_by(Booking.starts_at)
        )
    )
    deliveries = list(
        db.session.scalars(
            sa.select(BarterDelivery)
            .where(
                BarterDelivery.provider_id == provider.id,
                BarterDelivery.organisation_id == organisation.id,
            )
            .order_by(BarterDelivery.delivered_on)
        )
    )
    owed = sum((_barter_hours(b) for b in bookings if b.starts_at <= now), Decimal(0))
    upcoming = sum((_barter_hours(b) for b in bookings if b.starts_at > now), Decimal(0))
    delivered = sum((d.hours for d in deliveries), Decimal(0))
    return BarterLedger(provider, organisation, owed, upcoming, delivered, deliveries, bookings)


def barter_partners(provider: Provider) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(BookingSeries.organisation_id)
                    .join(Space, BookingSeries.space_id == Space.id)
                    .where(Space.provider_id == provider.id, Space.terms == TermsKind.BARTER)
                )
            )
            .order_by(Organisation.name)
        )
    )


def record_delivery(
    provider: Provider,
    organisation: Organisation,
    actor,
    *,
    day: date,
    hours: Decimal,
    description: str,
) -> BarterDelivery:
    if hours <= 0:
        raise BookingError(_("Liczba godzin musi być dodatnia."))
    delivery = BarterDelivery(
        provider_id=provider.id,
        organisation_id=organisation.id,
        delivered_on=day,
        hours=hours,
        description=description.strip(),
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(delivery)
    db.session.flush()
    ledger = barter_ledger(provider, organisation)
    for user in _organisation_recipients(organisation.id):
        send_mail(
            user.email,
            _l("Barter: zapisano zrealizowane zajęcia"),
            "spaces/mail/barter.txt",
            locale=user.locale,
            topic=f"barter-delivery:{delivery.id}",
            delivery=delivery,
            ledger=ledger,
            url=_barter_url(provider, organisation),
        )
    db.session.commit()
    return delivery


def _barter_url(provider: Provider, organisation: Organisation) -> str:
    return url_for(
        "spaces.barter",
        provider_slug=provider.slug,
        organisation_slug=organisation.slug,
        _external=True,
    )


# --- presentation helpers and mail -------------------------------------------------------


def format_slot(booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{format_datetime(start, 'EEE d.MM.yyyy HH:mm')}–{format_time(end, 'HH:mm')}"


STATUS_LABELS = {
    "pending": _l("oczekuje"),
    "approved": _l("zatwierdzona"),
    "declined": _l("odrzucona"),
    "cancelled": _l("odwołana"),
    "skipped": _l("pominięta"),
    "released": _l("zwolniona"),
    "no_show": _l("niewykorzystana"),
}


def status_label(status) -> str:
    return str(STATUS_LABELS[BookingStatus(status).value])


def _organisation_recipients(organisation_id: int):
    from app.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User).join(Membership).where(Membership.organisation_id == organisation_id)
        )
    )


def _provider_recipients(provider_id: int):
    from app.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User).join(ProviderManager).where(ProviderManager.provider_id == provider_id)
        )
    )


def _series_url(series: BookingSeries) -> str:
    try:
        return url_for("spaces.series_detail", series_id=series.id, _external=True)
    except RuntimeError:
        return f"/przestrzenie/rezerwacje/{series.id}"


def _mail_organisation(series, subject, template, *, topic, **ctx) -> None:
    for user in _organisation_recipients(series.organisation_id):
        send_mail(
            user.email,
            subject,
            template,
            locale=user.locale,
            topic=topic,
            series=series,
            url=_series_url(series),
            format_slot=format_slot,
            **ctx,
        )


SUBJECTS = {
    "approved": _l("Rezerwacja zatwierdzona"),
    "declined": _l("Rezerwacja odrzucona"),
    "cancelled": _l("Rezerwacja odwołana"),
    "moved": _l("Termin rezerwacji przeniesiony"),
    "released": _l("Rezerwacja zwolniona"),
}


def _notify_series(
    bookings: Sequence[Booking], event: str, reason: str, *, to_provider: bool = False
) -> None:
    if not bookings:
        return
    series = bookings[0].series
    topic = f"booking-{event}:{series.id}"
    _mail_organisation(
        series,
        SUBJECTS[event],
        "spaces/mail/status.txt",
        topic=topic,
        event=event,
        bookings=bookings,
        reason=reason,
    )
    if to_provider:
        for user in _provider_recipients(series.space.provider_id):
            send_mail(
                user.email,
                SUBJECTS[event],
                "spaces/mail/status.txt",
                locale=user.locale,
                topic=topic,
                series=series,
                url=_series_url(series),
                format_slot=format_slot,
                event=event,
                bookings=bookings,
                reason=reason,
            )


def _notify_request(series: BookingSeries, auto: bool, bookings=None) -> None:
    bookings = bookings or series.occurrences
    for user in _provider_recipients(series.space.provider_id):
        send_mail(
            user.email,
            _l("Nowy wniosek o rezerwację: %(space)s", space=series.space.name),
            "spaces/mail/request.txt",
            locale=user.locale,
            topic=f"booking-request:{series.id}",
            series=series,
            bookings=bookings,
            auto=auto,
            url=_series_url(series),
            format_slot=format_slot,
        )
    if not auto:
        _mail_organisation(
            series,
            _l("Wniosek o rezerwację wysłany"),
            "spaces/mail/sent.txt",
            topic=f"booking-sent:{series.id}",
            bookings=bookings,
        )


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


# --- providers publish their availability ----------------------------------------------------


@dataclass
class SpaceSettings:
    capacity: int | None
    stock: int
    min_notice_hours: int
    max_length_minutes: int
    max_days_ahead: int
    buffer_minutes: int
    terms: TermsKind
    fee_normal: Decimal | None
    fee_ngo: Decimal | None
    barter_terms: str
    barter_hours_per_hour: Decimal | None
    auto_approve_verified: bool | None
    house_rules: str
    hours: list[tuple[time, time] | None]  # Monday..Sunday, None = closed


def update_space(space: Space, settings: SpaceSettings) -> None:
    """Rules, terms and weekly hours of a space. A new buffer applies to new bookings; the
    ones already made keep the slot they were given."""
    from app.spaces.models import OpeningHours

    for name in (
        "capacity",
        "min_notice_hours",
        "max_length_minutes",
        "max_days_ahead",
        "buffer_minutes",
        "terms",
        "fee_normal",
        "fee_ngo",
        "barter_hours_per_hour",
        "auto_approve_verified",
    ):
        setattr(space, name, getattr(settings, name))
    space.stock = settings.stock if space.kind == SpaceKind.EQUIPMENT else 1
    space.barter_terms = settings.barter_terms.strip()
    space.house_rules = settings.house_rules.strip()
    space.opening_hours.clear()
    db.session.flush()
    for weekday, hours in enumerate(settings.hours):
        if hours:
            space.opening_hours.append(
                OpeningHours(weekday=weekday, opens=hours[0], closes=hours[1])
            )
    db.session.commit()


def add_closure(
    space: Space, *, starts_on: date, ends_on: date, reason, note: str, whole_provider: bool
) -> Closure:
    closure = Closure(
        space_id=None if whole_provider else space.id,
        provider_id=space.provider_id if whole_provider else None,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note.strip(),
    )
    db.session.add(closure)
    db.session.commit()
    return closure


def affected_by_closure(closure: Closure) -> list[Booking]:
    """Open bookings on closed days: the provider sees them to move or cancel with a reason."""
    first = local_to_utc(closure.starts_on, time(0))
    last = local_to_utc(closure.ends_on + timedelta(days=1), time(0))
    query = sa.select(Booking).where(
        Booking.status.in_(OPEN_STATUSES), Booking.starts_at < last, Booking.ends_at > first
    )
    if closure.space_id:
        query = query.where(Booking.space_id == closure.space_id)
    else:
        query = query.join(Space, Booking.space_id == Space.id).where(
            Space.provider_id == closure.provider_id
        )
    return list(db.session.scalars(query.order_by(Booking.starts_at)))


# --- providers and their spaces: created and described by people, not only by the demo ------


class AdminError(Exception):
    """A change to a provider or a space that cannot be made; ``field`` names the form field
    the message belongs to."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class SpaceDescription:
    """What a manager says about a space (rules, terms and hours are ``SpaceSettings``)."""

    name: str
    kind: SpaceKind
    description: str = ""
    address: str = ""
    district: str | None = None
    capacity: int | None = None
    area_m2: int | None = None
    floor: str | None = None
    stock: int = 1
    features: list[str] = field(default_factory=list)
    house_rules: str = ""


def _unique_slug(model, name: str, fallback: str) -> str:
    return slugs.unique_slug(model, name, fallback)


def _same_name_space(provider_id: int, name: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Space.id).where(
        Space.provider_id == provider_id, sa.func.lower(Space.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Space.id != exclude_id)
    return db.session.scalar(query) is not None


def _describe(space: Space, description: SpaceDescription) -> None:
    from app.spaces.vocab import ACCESSIBILITY, DISTRICTS, EQUIPMENT

    space.name = description.name.strip()
    space.description = description.description.strip()
    space.address = description.address.strip()
    space.district = description.district if description.district in DISTRICTS else None
    space.house_rules = description.house_rules.strip()
    if space.kind == SpaceKind.ROOM:
        space.capacity = description.capacity
        space.area_m2 = description.area_m2
        space.floor = (description.floor or "").strip() or None
        space.stock = 1
    else:
        space.capacity = None
        space.area_m2 = None
        space.floor = None
        space.stock = description.stock
    wanted = {c for c in description.features if c in EQUIPMENT or c in ACCESSIBILITY}
    for feature in list(space.features):
        if feature.code not in wanted:
            space.features.remove(feature)
    for code in sorted(wanted - space.feature_codes):
        space.features.append(SpaceFeature(code=code))


_DUPLICATE_SPACE = _l("Ten udostępniający ma już przestrzeń o tej nazwie.")


def create_space(provider: Provider, description: SpaceDescription) -> Space:
    """A new room or equipment item of ``provider`` with a slug made from its name. Default
    rules and free terms until the manager sets them on the space's management page."""
    try:
        with write_lock(db.session):
            if _same_name_space(provider.id, description.name.strip()):
                raise AdminError(str(_DUPLICATE_SPACE))
            space = Space(
                # The relationship, not just the id: the search index reads the provider's
                # name while this insert is flushed.
                provider=provider,
                kind=description.kind,
                slug=_unique_slug(Space, description.name, "przestrzen"),
                terms=TermsKind.FREE,
            )
            _describe(space, description)
            db.session.add(space)
    except IntegrityError as error:
        # Another request took the same slug between our look-up and the insert.
        raise AdminError(_("Nie udało się zapisać – spróbuj ponownie.")) from error
    return space


def update_space_description(space: Space, description: SpaceDescription) -> None:
    """Name, description, place, size, stock and features. The kind and the slug stay: links
    and bookings refer to them."""
    space_id = space.id
    with write_lock(db.session):
        space = db.session.get(Space, space_id)
        if _same_name_space(space.provider_id, description.name.strip(), exclude_id=space.id):
            raise AdminError(str(_DUPLICATE_SPACE))
        _describe(space, description)


def set_space_active(space: Space, active: bool) -> None:
    """An inactive space leaves the catalogue, matching and booking; its bookings stay."""
    space.active = active
    db.session.commit()


def create_provider(name: str, kind, organisation: Organisation | None = None) -> Provider:
    name = name.strip()
    try:
        with write_lock(db.session):
            if db.session.scalar(
                sa.select(Provider.id).where(sa.func.lower(Provider.name) == name.lower())
            ):
                raise AdminError(_("Udostępniający o tej nazwie już istnieje."))
            provider = Provider(
                name=name,
                kind=kind,
                slug=_unique_slug(Provider, name, "udostepniajacy"),
                organisation_id=organisation.id if organisation else None,
            )
            db.session.add(provider)
    except IntegrityError as error:
        raise AdminError(_("Nie udało się zapisać – spróbuj ponownie.")) from error
    return provider


def add_manager(provider: Provider, email: str) -> ProviderManager:
    """Make the account with ``email`` a manager of ``provider``."""
    from app.accounts.models import User

    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )
    if user is None:
        raise AdminError(
            _("Nie ma konta z tym adresem e-mail. Poproś tę osobę o założenie konta."), "email"
        )
    try:
        with write_lock(db.session):
            exists = db.session.scalar(
                sa.select(ProviderManager.id).where(
                    ProviderManager.provider_id == provider.id,
                    ProviderManager.user_id == user.id,
                )
            )
            if exists:
                raise AdminError(_("Ta osoba już zarządza tym udostępniającym."), "email")
            manager = ProviderManager(provider_id=provider.id, user_id=user.id)
            db.session.add(manager)
    except IntegrityError as error:
        raise AdminError(_("Ta osoba już zarządza tym udostępniającym."), "email") from error
    return manager


def remove_manager(provider: Provider, user_id: int) -> bool:
    manager = db.session.scalar(
        sa.select(ProviderManager).where(
            ProviderManager.provider_id == provider.id, ProviderManager.user_id == user_id
        )
    )
    if manager is None:
        return False
    db.session.delete(manager)
    db.session.commit()
    return True
