"""Booking requests and every decision on them (approve, decline, cancel, move, re-add, no-show).

These functions run inside their caller's unit of work (the request, or a job's
``transaction()``): they flush, never commit, and refuse with ``DomainError`` (a taken slot with
``BookingConflict``). A refused action leaves nothing behind: its changes are made in a
savepoint that is rolled back, so the caller can show the page again with the same session.

How double booking is made impossible and decisions never contradict each other (see also
docs/spaces.md):

* Every change of a booking's status or slot first calls ``lock_space``: on PostgreSQL a
  ``SELECT ... FOR UPDATE`` of the space row, held until the request commits; then it re-reads
  the bookings it changes. Two decisions on one space (approve and decline of one booking, an
  approval and the NGO cancelling, two competing approvals) therefore run one after the other,
  and the second sees what the first decided. For equipment this is also the guard against
  lending more than the stock (a sum of quantities cannot be a constraint).
* Rooms, PostgreSQL: the exclusion constraint ``ex_bookings_no_overlap`` (migration
  0005_spaces.py) refuses two slot-holding occurrences of one room whose
  ``[starts_at, blocked_until)`` ranges overlap, whoever writes them; its IntegrityError
  becomes a ``BookingConflict``.
* SQLite: every writing request began ``BEGIN IMMEDIATE`` (``app.unit_of_work``), so there is one
  writer at a time and "check, then write" cannot interleave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
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
    decision_problems,
    imported_busy,
    occurrence_days,
    pending_competitors,
    rule_problems,
    slot_for,
    slot_holders,
)
from app.spaces.service.notifications import format_slot, notify_request, notify_series


class BookingConflict(DomainError):
    """The slot is taken (409); ``conflicts`` are the bookings in the way."""

    status = 409

    def __init__(self, message, conflicts: Sequence[Booking] = (), booking=None):
        super().__init__(message)
        self.conflicts = list(conflicts)
        self.booking = booking


SLOT_JUST_TAKEN = _l("Ten termin został właśnie zajęty przez inną rezerwację.")


# --- locking and recording -------------------------------------------------------------------


def lock_space(space_id: int) -> Space:
    """Serialise every change of one space's bookings (see the module docstring). PostgreSQL:
    the space row is locked until the unit of work ends. SQLite: the writing transaction
    already holds the database's only write lock (SQLAlchemy renders no FOR UPDATE there)."""
    space = db.session.scalar(
        sa.select(Space)
        .where(Space.id == space_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if space is None:
        raise DomainError(_("Nie ma takiej przestrzeni."), status=404)
    return space


def _locked(bookings: Sequence[Booking]) -> tuple[Space, list[Booking]]:
    """Lock the bookings' space, then read them again: what a concurrent decision committed
    while we waited for the lock is what we decide on."""
    space = lock_space(bookings[0].space_id)
    fresh = db.session.scalars(
        sa.select(Booking)
        .where(Booking.id.in_([b.id for b in bookings]))
        .order_by(Booking.starts_at, Booking.id)
        .execution_options(populate_existing=True)
    ).all()
    return space, list(fresh)


@contextmanager
def _all_or_nothing(space: Space, bookings: Sequence[Booking]) -> Iterator[None]:
    """Make the changes in a savepoint: a refusal (ours, or the exclusion constraint's at the
    flush) rolls back exactly what this action did, and the session stays usable for showing
    the page again. A conflict names the bookings in the way as they are now.

    No mail inside: SQLAlchemy fires ``after_commit`` when a savepoint is released, and
    ``app.db.after_commit`` would then deliver before the request commits (and, on SQLite, wait
    for the write lock the request holds). Callers send once the block is done."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        if "ex_bookings_no_overlap" not in str(error.orig):
            raise
        raise BookingConflict(SLOT_JUST_TAKEN, _current_conflicts(space, bookings)) from error
    except BookingConflict as conflict:
        if not conflict.conflicts:
            conflict.conflicts = _current_conflicts(space, bookings)
        raise


def _current_conflicts(space: Space, bookings: Sequence[Booking]) -> list[Booking]:
    found: list[Booking] = []
    for booking in bookings:
        found += [
            c
            for c in conflicts_for(
                space, booking.starts_at, booking.ends_at, booking.quantity, ignore_ids=[booking.id]
            )
            if c not in found
        ]
    return found


def _record(booking: Booking, old, new, actor, reason: str = "") -> None:
    booking.history.append(
        BookingStatusChange(
            from_status=old, to_status=new, actor=actor, reason=(reason or "")[:500]
        )
    )


def set_status(booking: Booking, new: BookingStatus, actor, reason: str = "") -> None:
    """Change an occurrence's status and write it to its history. Callers hold the space's
    lock (``lock_space``) and have re-read the booking."""
    old = booking.status
    booking.status = new
    booking.status_reason = (reason or "")[:500]
    booking.sequence += 1
    _record(booking, old, new, actor, reason)


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
    busy = imported_busy([space], slots[0][0], slots[-1][1] + buffer).get(space.id, [])
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
            rule_problems(space, starts_at, ends_at, now=now, closures=closures, busy=busy),
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
        raise DomainError(" ".join(problems), status=422)
    space = lock_space(space.id)
    auto = space.auto_approves_verified and organisation.is_verified
    planned = plan_request(space, request, now=now)
    if not any(p.ok for p in planned):
        raise BookingConflict(
            _("Żaden z terminów nie jest dostępny."),
            [c for p in planned for c in p.conflicts],
        )
    with _all_or_nothing(space, []):
        series = BookingSeries(
            space=space,
            organisation_id=organisation.id,
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
            booking = Booking.for_slot(
                space,
                item.starts_at,
                item.ends_at,
                status,
                series=series,
                quantity=series.quantity,
                reason=reason,
            )
            db.session.add(booking)
            _record(booking, None, status, user, reason)
        db.session.flush()
        if auto:
            approved = [b for b in series.occurrences if b.status == BookingStatus.PENDING]
            auto_reason = _("Zatwierdzono automatycznie (organizacja zweryfikowana).")
            declined = _approve_locked(space, approved, user, reason=auto_reason)
    notify_request(series, auto)
    if auto:
        _tell_approved(approved, auto_reason, declined)
    return series


# --- decisions -------------------------------------------------------------------------------


def approve(bookings: Sequence[Booking], actor, *, reason: str = "") -> list[Booking]:
    """Approve pending occurrences, all or nothing. Overlapping pending requests of others that
    can no longer fit are declined with a reason and their organisations are told."""
    if not bookings:
        raise DomainError(_("Nie ma oczekujących terminów do zatwierdzenia."))
    space, fresh = _locked(bookings)
    pending = [b for b in fresh if b.status == BookingStatus.PENDING]
    if not pending:
        raise BookingConflict(_("Nie ma już oczekujących terminów: decyzję właśnie podjęto."))
    with _all_or_nothing(space, pending):
        declined = _approve_locked(space, pending, actor, reason=reason)
    _tell_approved(pending, reason, declined)
    return pending


def _approve_locked(
    space: Space, bookings: Sequence[Booking], actor, *, reason=""
) -> list[list[Booking]]:
    """Approve, and decline the pending requests that no longer fit; returns those, grouped
    by series, for ``_tell_approved``. Every approval (by hand, automatic, after a re-add)
    passes here, so each one checks the request's rules again."""
    problems = decision_problems(space, bookings)
    if problems:
        first = next(b for b in bookings if b.id in problems)
        raise DomainError(
            _(
                "Termin %(when)s nie może być zatwierdzony: %(problems)s Odrzuć go z powodem "
                "albo zaznacz pozostałe terminy.",
                when=format_slot(first),
                problems=" ".join(problems[first.id]),
            ),
            status=409,
        )
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
        set_status(booking, BookingStatus.APPROVED, actor, reason)
        # Flush each one, so a refused overlap surfaces at this occurrence.
        db.session.flush()
    return _decline_losers(space, bookings, actor)


LOST_TO_EARLIER = _l("Termin przyznano innej organizacji, której wniosek zatwierdzono wcześniej.")


def _decline_losers(space: Space, approved: Sequence[Booking], actor) -> list[list[Booking]]:
    """Pending requests that no longer fit are declined, never silently (``_tell_approved``
    gives each organisation the reason)."""
    approved_ids = {b.id for b in approved}
    losers: list[Booking] = []
    for booking in approved:
        for other in pending_competitors(booking):
            if other.id in approved_ids or other in losers:
                continue
            if conflicts_for(space, other.starts_at, other.ends_at, other.quantity):
                losers.append(other)
    by_series: dict[int, list[Booking]] = defaultdict(list)
    for other in losers:
        set_status(other, BookingStatus.DECLINED, actor, str(LOST_TO_EARLIER))
        by_series[other.series_id].append(other)
    return list(by_series.values())


def _tell_approved(approved: Sequence[Booking], reason: str, declined: list[list[Booking]]):
    notify_series(approved, "approved", reason)
    for group in declined:
        notify_series(group, "declined", str(LOST_TO_EARLIER))


def decline(bookings: Sequence[Booking], actor, reason: str) -> list[Booking]:
    if not reason.strip():
        raise DomainError(_("Podaj powód odmowy."), status=422, field="reason")
    if not bookings:
        raise DomainError(_("Nie ma oczekujących terminów do odrzucenia."))
    _space, fresh = _locked(bookings)
    changed = [b for b in fresh if b.status == BookingStatus.PENDING]
    if not changed:
        raise DomainError(_("Nie ma oczekujących terminów do odrzucenia."))
    for booking in changed:
        set_status(booking, BookingStatus.DECLINED, actor, reason)
    db.session.flush()
    notify_series(changed, "declined", reason)
    return changed


def cancel(bookings: Sequence[Booking], actor, reason: str, *, by_provider: bool) -> list[Booking]:
    """Either side cancels pending or approved future occurrences, with a reason."""
    if not reason.strip():
        raise DomainError(_("Podaj powód odwołania."), status=422, field="reason")
    if not bookings:
        raise DomainError(_("Nie ma terminów, które można odwołać."))
    now = utcnow()
    _space, fresh = _locked(bookings)
    changed = [b for b in fresh if b.can_cancel(now)]
    if not changed:
        raise DomainError(_("Nie ma terminów, które można odwołać."))
    for booking in changed:
        set_status(booking, BookingStatus.CANCELLED, actor, reason)
    db.session.flush()
    notify_series(changed, "cancelled", reason, to_provider=not by_provider)
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
    space, (booking,) = _locked([booking])
    if not booking.can_move:
        raise DomainError(_("Tego terminu nie można już przenieść."))
    problems = rule_problems(space, starts_at, ends_at, now=now, check_notice=not by_provider)
    if problems:
        raise DomainError(" ".join(problems), status=422)
    conflicts = conflicts_for(space, starts_at, ends_at, booking.quantity, ignore_ids=[booking.id])
    if conflicts:
        raise BookingConflict(_("Nowy termin jest zajęty."), conflicts, booking)
    with _all_or_nothing(space, [booking]):
        old_status = booking.status
        booking.place(space, starts_at, ends_at)
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
    notify_series([booking], "moved", "", to_provider=not by_provider)
    return booking


def readd(booking: Booking, actor, *, now: datetime | None = None) -> Booking:
    """Ask again for an occurrence that was skipped, cancelled or released."""
    space, (booking,) = _locked([booking])
    if not booking.can_readd:
        raise DomainError(_("Ten termin jest już w rezerwacji."))
    problems = rule_problems(space, booking.starts_at, booking.ends_at, now=now)
    if problems:
        raise DomainError(" ".join(problems))
    conflicts = conflicts_for(space, booking.starts_at, booking.ends_at, booking.quantity)
    if conflicts:
        raise BookingConflict(_("Termin jest nadal zajęty."), conflicts, booking)
    auto = space.auto_approves_verified and booking.series.organisation.is_verified
    with _all_or_nothing(space, [booking]):
        # The slot as the space holds slots today (its buffer may have changed since).
        booking.place(space, booking.starts_at, booking.ends_at)
        set_status(booking, BookingStatus.PENDING, actor, _("Ponowny wniosek."))
        if auto:
            auto_reason = _("Zatwierdzono automatycznie.")
            declined = _approve_locked(space, [booking], actor, reason=auto_reason)
    notify_request(booking.series, auto, [booking])
    if auto:
        _tell_approved([booking], auto_reason, declined)
    return booking


def mark_no_show(booking: Booking, actor, reason: str = "") -> Booking:
    _space, (booking,) = _locked([booking])
    if not booking.can_mark_no_show():
        raise DomainError(
            _("Nieobecność można zaznaczyć tylko dla minionego, zatwierdzonego terminu.")
        )
    set_status(booking, BookingStatus.NO_SHOW, actor, reason or _("Nie skorzystano z rezerwacji."))
    db.session.flush()
    return booking
