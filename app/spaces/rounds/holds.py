"""While a round is open or allocating, direct bookings of its spaces inside its weekday
windows and season are refused with the reason ("apply to the round instead").

Refused rather than kept pending: a pending request made during a round would compete with
the round's applications for the same slots outside the board, and its organisation would wait
weeks without knowing; a refusal that names the round and its results date tells it at once
where to go. Bookings outside the windows (a Saturday event, a morning) stay bookable.

``round_hold_problems`` is the one check. It is called from ``rule_problems`` in
``app/spaces/service/availability.py``, which every entry point that creates or approves a
booking passes through: a request and a recurring request (``plan_request``), every approval
(``decision_problems``), a move and a re-add, and so anything built on them (on-behalf
bookings). A round's own bookings are generated after it has left the holding statuses (in the
same transaction), so its hold does not refuse them while any other round's still does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.spaces.rounds.models import (
    HOLDING_STATUSES,
    AllocationRound,
    RoundSpace,
    RoundWindow,
)
from app.timeutil import to_local

_ignored: ContextVar[int | None] = ContextVar("ignored_round", default=None)


@contextmanager
def ignoring_hold(round_: AllocationRound) -> Iterator[None]:
    """The board's preview of a round's own dates: as generation will book them, once the
    round's hold is over (other rounds' holds still count)."""
    token = _ignored.set(round_.id)
    try:
        yield
    finally:
        _ignored.reset(token)


@dataclass(frozen=True)
class _Hold:
    round_id: int
    starts_on: date
    ends_on: date
    windows: tuple[tuple[int, time, time], ...]


_CACHE = "round_holds"


def _holds() -> dict[int, list[_Hold]]:
    """Every space held by an open or allocating round, read once per transaction (there are
    few rounds, and ``rule_problems`` runs for every occurrence of every candidate in venue
    matching). Dropped when a round, its spaces or windows are flushed (``_forget``)."""
    transaction = db.session().get_transaction()
    cached = db.session.info.get(_CACHE)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]
    rounds = db.session.scalars(
        sa.select(AllocationRound)
        .where(AllocationRound.status.in_(HOLDING_STATUSES))
        .options(selectinload(AllocationRound.round_spaces), selectinload(AllocationRound.windows))
    )
    holds: dict[int, list[_Hold]] = defaultdict(list)
    for round_ in rounds:
        hold = _Hold(
            round_.id,
            round_.season_starts_on,
            round_.season_ends_on,
            tuple((w.weekday, w.starts, w.ends) for w in round_.windows),
        )
        for item in round_.round_spaces:
            holds[item.space_id].append(hold)
    db.session.info[_CACHE] = (transaction, holds)
    return holds


@sa.event.listens_for(Session, "after_flush")
def _forget(session, _context) -> None:
    if any(
        isinstance(item, (AllocationRound, RoundSpace, RoundWindow))
        for item in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(_CACHE, None)


def forget_holds() -> None:
    """After a status change written with a bulk UPDATE (no flush of the object)."""
    db.session.info.pop(_CACHE, None)


def holding_round(space_id: int, starts_at: datetime, ends_at: datetime) -> AllocationRound | None:
    """The round whose window this slot touches, if any."""
    holds = _holds().get(space_id)
    if not holds:
        return None
    local_start, local_end = to_local(starts_at), to_local(ends_at)
    day = local_start.date()
    end_clock = local_end.time() if local_end.date() == day else time(23, 59, 59)
    for hold in holds:
        if hold.round_id == _ignored.get():
            continue
        if not hold.starts_on <= day <= hold.ends_on:
            continue
        for weekday, starts, ends in hold.windows:
            if weekday == day.weekday() and starts < end_clock and local_start.time() < ends:
                return db.session.get(AllocationRound, hold.round_id)
    return None


def round_hold_problems(space_id: int, starts_at: datetime, ends_at: datetime) -> list[str]:
    round_ = holding_round(space_id, starts_at, ends_at)
    if round_ is None:
        return []
    return [
        _(
            "Trwa nabór „%(round)s” (%(first)s – %(last)s): stałe terminy w tych godzinach są "
            "przydzielane w naborze, złóż w nim wniosek. Rezerwacje będą znowu możliwe po "
            "ogłoszeniu wyników.",
            round=round_.name,
            first=format_date(round_.season_starts_on, "short"),
            last=format_date(round_.season_ends_on, "short"),
        )
    ]
