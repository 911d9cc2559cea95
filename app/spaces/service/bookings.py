"""Booking requests and every decision on them (approve, decline, cancel, move, re-add, no-show).

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
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.db import utcnow, write_lock
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    OPEN_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Recurrence,
    Space,
    SpaceKind,
    term_of,
)
from app.spaces.service.availability import (
    closures_for,
    conflicts_for,
    occurrence_days,
    pending_competitors,
    rule_problems,
    slot_for,
    slot_holders,
)
from app.spaces.service.notifications import _notify_request, _notify_series, format_slot


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
