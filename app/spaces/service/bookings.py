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
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Space,
    SpaceOccupancy,
    term_of,
)
from app.spaces.service.availability import (
    conflict_reasons,
    conflicts_for,
    decision_problems,
    pending_competitors,
    rule_problems,
    slot_for,
)
from app.spaces.service.notifications import format_slot, notify_request, notify_series
from app.spaces.service.planning import (
    BookingRequest,
    plan_request,
    request_problems,
)
from app.templating import local_datetime


class BookingConflict(DomainError):
    """The slot is taken (409); ``conflicts`` are the bookings in the way."""

    status = 409

    def __init__(self, message, conflicts: Sequence[Booking] = (), booking=None):
        super().__init__(message)
        self.conflicts = list(conflicts)
        self.booking = booking


# The database's refusals of an overlap: a room's own bookings (PostgreSQL), and the smallest
# spaces every room booking occupies (combined rooms; PostgreSQL and SQLite).
OVERLAP_CONSTRAINTS = ("ex_bookings_no_overlap", SpaceOccupancy.NO_OVERLAP)

SLOT_JUST_TAKEN = _l("Ten termin został właśnie zajęty przez inną rezerwację.")


# --- locking and recording -------------------------------------------------------------------


def lock_space(space_id: int) -> Space:
    """Serialise every change of one space's bookings (see the module docstring). PostgreSQL:
    the space row is locked until the unit of work ends. SQLite: the writing transaction
    already holds the database's only write lock (SQLAlchemy renders no FOR UPDATE there)."""
    from app.spaces.service.combined import sharing_spaces

    shared = sharing_spaces([space_id])[space_id]
    if len(shared) > 1:
        # Combined rooms: lock every room sharing a smallest space, in one order (by id), so
        # decisions on A and on A+B run one after the other and never deadlock.
        db.session.execute(
            sa.select(Space.id).where(Space.id.in_(shared)).order_by(Space.id).with_for_update()
        )
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
        if not any(name in str(error.orig) for name in OVERLAP_CONSTRAINTS):
            raise
        raise BookingConflict(SLOT_JUST_TAKEN, _current_conflicts(space, bookings)) from error
    except BookingConflict as conflict:
        if not conflict.conflicts:
            conflict.conflicts = _current_conflicts(space, bookings)
        raise


def _taken(message: str, space: Space, starts_at, ends_at, conflicts) -> str:
    """A refusal of a taken slot with why (the break between bookings, pieces left)."""
    return " ".join([message, *conflict_reasons(space, starts_at, ends_at, conflicts)])


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


def _audit(action: str, bookings: Sequence[Booking], actor, reason: str = "") -> None:
    """One audit entry per decision (the occurrences' own history has the detail)."""
    if not bookings:
        return
    first = bookings[0]
    days = ", ".join(local_datetime(b.starts_at, "short") for b in bookings[:5])
    more = f" (+{len(bookings) - 5})" if len(bookings) > 5 else ""
    audit.record(
        action,
        actor=actor,
        organisation=first.series.organisation_id,
        provider=first.space.provider_id,
        details=f"{first.space.name}: {days}{more}{' – ' + reason if reason else ''}",
    )


def set_status(booking: Booking, new: BookingStatus, actor, reason: str = "") -> None:
    """Change an occurrence's status and write it to its history. Callers hold the space's
    lock (``lock_space``) and have re-read the booking."""
    old = booking.status
    booking.status = new
    booking.status_reason = (reason or "")[:500]
    booking.sequence += 1
    _record(booking, old, new, actor, reason)


# --- requesting -----------------------------------------------------------------------------


def create_request(
    space: Space,
    organisation: Organisation | None,
    user,
    request: BookingRequest,
    *,
    now: datetime | None = None,
    allocated: str | None = None,
    on_behalf_via: str | None = None,
    own_use: bool = False,
) -> BookingSeries:
    """Record a request. Occurrences that break a rule or clash with a confirmed booking are
    kept as SKIPPED (they can be re-added later). Verified NGOs are approved at once where the
    provider switched auto-approval on. ``allocated`` (the reason, e.g. a round's name): the
    provider allocated this series itself, so the free occurrences are approved at once and no
    request mails are sent (the round mails its results).

    The provider's staff enter bookings through here too (``service.operations``): for an
    organisation that asked by phone or e-mail (``on_behalf_via``) or for their own event
    (``own_use``, no organisation); those are approved at once, under the same rules, lock
    and constraint as any request."""
    from app.spaces.service.operations import ensure_not_banned, entered_reason

    problems = request_problems(space, request)
    if problems:
        raise DomainError(" ".join(problems), status=422)
    if organisation is None and not own_use:
        raise DomainError(_("Wybierz organizację."), status=422, field="organisation")
    if organisation is not None:
        ensure_not_banned(space.provider_id, organisation.id, now=now)
    space = lock_space(space.id)
    entered = own_use or on_behalf_via is not None
    auto = (
        allocated is not None
        or entered
        or (space.auto_approves_verified and organisation.is_verified)
    )
    planned = plan_request(space, request, now=now, check_notice=not entered)
    if not any(p.ok for p in planned):
        reasons = list(dict.fromkeys(r for p in planned for r in p.problems))
        raise BookingConflict(
            " ".join([_("Żaden z terminów nie jest dostępny."), *reasons]),
            [c for p in planned for c in p.conflicts],
        )
    with _all_or_nothing(space, []):
        series = BookingSeries(
            space=space,
            organisation_id=organisation.id if organisation is not None else None,
            own_use=own_use,
            on_behalf_via=None if own_use else on_behalf_via,
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
            loan_days=request.loan_days,
            confirmed_term=term_of(request.first_day),
            horizon_until=request.horizon_until,
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
            if allocated is not None:
                auto_reason = allocated
            elif entered:
                auto_reason = entered_reason(series)
            else:
                auto_reason = _("Zatwierdzono automatycznie (organizacja zweryfikowana).")
            declined = _approve_locked(space, approved, user, reason=auto_reason)
    if allocated is not None:
        for group in declined:
            notify_series(group, "declined", str(LOST_TO_EARLIER))
        return series
    if entered:
        _audit("booking.entered", approved, user, auto_reason)
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
    _audit("booking.approved", pending, actor, reason)
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
                _taken(
                    _("Termin %(when)s jest już zajęty.", when=format_slot(booking)),
                    space,
                    booking.starts_at,
                    booking.ends_at,
                    conflicts,
                ),
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
            # ``other`` may be of a room sharing a smallest space (combined rooms).
            if conflicts_for(other.space, other.starts_at, other.ends_at, other.quantity):
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
    _audit("booking.declined", changed, actor, reason)
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
    _audit("booking.cancelled", changed, actor, reason)
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
    starts_at, ends_at = slot_for(day, start, end, booking.series.loan_days)
    space, (booking,) = _locked([booking])
    if not booking.can_move:
        raise DomainError(_("Tego terminu nie można już przenieść."))
    problems = rule_problems(
        space,
        starts_at,
        ends_at,
        now=now,
        check_notice=not by_provider,
        horizon_until=booking.series.horizon_until,
    )
    if problems:
        raise DomainError(" ".join(problems), status=422)
    conflicts = conflicts_for(space, starts_at, ends_at, booking.quantity, ignore_ids=[booking.id])
    if conflicts:
        message = _taken(_("Nowy termin jest zajęty."), space, starts_at, ends_at, conflicts)
        raise BookingConflict(message, conflicts, booking)
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
    _audit("booking.moved", [booking], actor, "")
    return booking


def readd(booking: Booking, actor, *, now: datetime | None = None) -> Booking:
    """Ask again for an occurrence that was skipped, cancelled or released."""
    from app.spaces.service.operations import ensure_not_banned

    space, (booking,) = _locked([booking])
    if not booking.can_readd:
        raise DomainError(_("Ten termin jest już w rezerwacji."))
    if booking.series.organisation_id is not None:
        ensure_not_banned(space.provider_id, booking.series.organisation_id, now=now)
    problems = rule_problems(
        space,
        booking.starts_at,
        booking.ends_at,
        now=now,
        horizon_until=booking.series.horizon_until,
    )
    if problems:
        raise DomainError(" ".join(problems))
    conflicts = conflicts_for(space, booking.starts_at, booking.ends_at, booking.quantity)
    if conflicts:
        message = _taken(
            _("Termin jest nadal zajęty."), space, booking.starts_at, booking.ends_at, conflicts
        )
        raise BookingConflict(message, conflicts, booking)
    organisation = booking.series.organisation
    auto = booking.series.own_use or (
        space.auto_approves_verified and organisation is not None and organisation.is_verified
    )
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
    _audit("booking.readded", [booking], actor, "")
    return booking
