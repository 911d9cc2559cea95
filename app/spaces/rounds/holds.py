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

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.extensions import db
from app.spaces.rounds.models import HOLDING_STATUSES, AllocationRound, RoundSpace
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


def holding_rounds(space_id: int) -> list[AllocationRound]:
    """Rounds that hold ``space_id`` now (open or allocating)."""
    return list(
        db.session.scalars(
            sa.select(AllocationRound)
            .join(RoundSpace, RoundSpace.round_id == AllocationRound.id)
            .where(RoundSpace.space_id == space_id, AllocationRound.status.in_(HOLDING_STATUSES))
            .order_by(AllocationRound.id)
        )
    )


def holding_round(space_id: int, starts_at: datetime, ends_at: datetime) -> AllocationRound | None:
    """The round whose window this slot touches, if any."""
    local_start, local_end = to_local(starts_at), to_local(ends_at)
    day = local_start.date()
    end_clock = local_end.time() if local_end.date() == day else time(23, 59, 59)
    for round_ in holding_rounds(space_id):
        if round_.id == _ignored.get():
            continue
        if not round_.season_starts_on <= day <= round_.season_ends_on:
            continue
        for window in round_.windows:
            if (
                window.weekday == day.weekday()
                and window.starts < end_clock
                and local_start.time() < window.ends
            ):
                return round_
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
