"""What the public list needs from an opportunity's shifts, kept on the opportunity itself.

The list (``app.volunteering.browse``) shows an opportunity while it has a shift still to come
or no shifts at all, soonest first. Asking the shifts table that for every published offer on
every request (an EXISTS and a ``min()`` per offer, in the count and in the page) was most of
the page's time. So each opportunity carries, computed from its shifts (cancelled ones do not
count) at some moment T:

- ``has_shifts``: it has any shift at all (cancelled and past ones too);
- ``shifts_end``: the latest end of its shifts. "A shift still to come at ``now``" is exactly
  ``shifts_end > now``, at any time, so passing time never makes it wrong;
- ``next_start``: the earliest start among the shifts that had not ended at T, and the window
  in which that stays true: ``next_from`` (the latest end at or before T, NULL if none) and
  ``next_until`` (the earliest end after T, NULL if none). No shift ends inside the window, so
  for any ``now`` in ``[next_from, next_until)`` the shifts not yet ended are the same as at T.
  Outside it (a shift has ended since) the list computes the next start from the shifts as
  before (``next_start_at``), and the periodic ``refresh_stale`` moves the window on.

Every flush that adds, deletes or changes the times, cancellation or opportunity of a shift
recomputes its opportunities in the same transaction (``after_flush`` below, for any writer);
the bulk UPDATEs of shifts elsewhere change only counters, sequences and ``updated_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.db import utcnow
from app.volunteering.models import Opportunity, Shift

TABLE = Opportunity.__table__
# Shift attributes the kept columns depend on.
WATCHED = ("opportunity_id", "starts_at", "ends_at", "cancelled_at")
_EXPIRE = "volunteering-listing-expire"
COLUMNS = ("has_shifts", "shifts_end", "next_start", "next_from", "next_until")


def _values(now: datetime) -> dict:
    live = (Shift.opportunity_id == TABLE.c.id, Shift.cancelled_at.is_(None))

    def aggregate(function, column, *more):
        return sa.select(function(column)).where(*live, *more).scalar_subquery()

    return {
        "has_shifts": sa.exists().where(Shift.opportunity_id == TABLE.c.id),
        "shifts_end": aggregate(sa.func.max, Shift.ends_at),
        "next_start": aggregate(sa.func.min, Shift.starts_at, Shift.ends_at > now),
        "next_from": aggregate(sa.func.max, Shift.ends_at, Shift.ends_at <= now),
        "next_until": aggregate(sa.func.min, Shift.ends_at, Shift.ends_at > now),
        # Not a change of the offer (its feeds and ETags must not move): keep updated_at.
        "updated_at": TABLE.c.updated_at,
    }


def refresh(connection, condition, now: datetime | None = None) -> int:
    """Recompute the kept columns of the opportunities matching ``condition``."""
    now = now or utcnow()
    if connection.dialect.name == "postgresql":
        # Wait for a concurrent writer of the same offers: the UPDATE below then starts with a
        # snapshot that sees its shifts (READ COMMITTED takes one per statement). FOR NO KEY
        # UPDATE, the lock the UPDATE takes anyway: it does not wait for the key-share locks
        # that inserting a shift (its foreign key) holds on the offer, so no deadlock.
        connection.execute(
            sa.select(TABLE.c.id)
            .where(condition)
            .order_by(TABLE.c.id)
            .with_for_update(key_share=True)
        )
    result = connection.execute(sa.update(TABLE).where(condition).values(**_values(now)))
    return result.rowcount


def refresh_opportunities(session: Session, ids: Iterable[int], now=None) -> None:
    ids = sorted(set(ids))
    if ids:
        refresh(session.connection(), TABLE.c.id.in_(ids), now)


def refresh_stale(session: Session, now: datetime | None = None) -> int:
    """Move on the windows a shift's end has passed (the periodic job): until then the list
    works the next start out from the shifts for those offers, correct but slower."""
    now = now or utcnow()
    return refresh(session.connection(), TABLE.c.next_until <= now, now)


def next_start_at(now: datetime, shift_conditions: list):
    """The sort key "soonest next shift" at ``now``: the kept column inside its window, the
    shifts' own minimum outside it (the same value, computed the slow way)."""
    computed = (
        sa.select(sa.func.min(Shift.starts_at))
        .where(*shift_conditions)
        .correlate(Opportunity)
        .scalar_subquery()
    )
    fresh = sa.and_(
        sa.or_(Opportunity.next_from.is_(None), Opportunity.next_from <= now),
        sa.or_(Opportunity.next_until.is_(None), Opportunity.next_until > now),
    )
    return sa.case((fresh, Opportunity.next_start), else_=computed)


def _changed_opportunities(session: Session) -> set[int]:
    ids: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(instance, Shift):
            continue
        state = sa.inspect(instance)
        if instance in session.dirty and not any(
            state.attrs[name].history.has_changes() for name in WATCHED
        ):
            continue  # a counter or the sequence: nothing the list depends on
        history = state.attrs.opportunity_id.history
        ids.update(i for i in (*history.unchanged, *history.added, *history.deleted) if i)
        if instance not in session.deleted and instance.opportunity_id:
            ids.add(instance.opportunity_id)
    return ids


@event.listens_for(Session, "after_flush")
def _shifts_flushed(session: Session, flush_context) -> None:
    ids = _changed_opportunities(session)
    if not ids:
        return
    refresh_opportunities(session, ids)
    session.info.setdefault(_EXPIRE, set()).update(ids)


@event.listens_for(Session, "after_flush_postexec")
def _expire_kept(session: Session, flush_context) -> None:
    # Loaded opportunities read the new values next time.
    ids = session.info.pop(_EXPIRE, None)
    if not ids:
        return
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Opportunity) and instance.id in ids:
            session.expire(instance, list(COLUMNS))
