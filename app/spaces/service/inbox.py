"""The inbox of pending requests, for one provider or every provider a manager manages.

A page of cards in a fixed number of statements, whatever the number of requests, dates or
rooms (issue 14 measured 1,057 statements for 36 rooms: one query per pending occurrence):
the count, the page of series with their space, provider, opening hours and organisation,
their pending dates, the closures and imported busy times of those spaces, and the competing
pending requests — each one query for the whole page. The rules are then checked in Python
(``rule_problems`` with what was read), exactly as ``decision_problems`` checks them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.extensions import db
from app.spaces.models import Booking, BookingSeries, BookingStatus, Closure, Space
from app.spaces.service.availability import imported_busy, rule_problems
from app.timeutil import to_local

PER_PAGE = 20


@dataclass
class InboxCard:
    series: BookingSeries
    pending: list[Booking] = field(default_factory=list)
    competing: dict[int, int] = field(default_factory=dict)  # booking id -> other requests
    problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def competing_total(self) -> int:
        return sum(self.competing.values())


@dataclass
class InboxPage:
    cards: list[InboxCard]
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _waiting(now: datetime):
    return BookingSeries.occurrences.any(
        sa.and_(Booking.status == BookingStatus.PENDING, Booking.ends_at > now)
    )


def inbox_page(
    provider_ids: Sequence[int],
    page: int = 1,
    *,
    per_page: int = PER_PAGE,
    series_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> InboxPage:
    """Series with pending future dates at these providers' spaces, oldest request first.
    ``series_ids``: only those (one card re-rendered after a decision)."""
    now = now or utcnow()
    if not provider_ids:
        return InboxPage([], 1, 1, 0)
    where = [Space.provider_id.in_(provider_ids), _waiting(now)]
    if series_ids is not None:
        where.append(BookingSeries.id.in_(series_ids))
    total = db.session.scalar(
        sa.select(sa.func.count(BookingSeries.id))
        .join(Space, BookingSeries.space_id == Space.id)
        .where(*where)
    )
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    series = list(
        db.session.scalars(
            sa.select(BookingSeries)
            .join(Space, BookingSeries.space_id == Space.id)
            .where(*where)
            .options(
                joinedload(BookingSeries.space).joinedload(Space.provider),
                joinedload(BookingSeries.space).selectinload(Space.opening_hours),
                joinedload(BookingSeries.organisation),
                joinedload(BookingSeries.requested_by),
            )
            .order_by(BookingSeries.created_at, BookingSeries.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).unique()
    )
    cards = {s.id: InboxCard(s) for s in series}
    if not cards:
        return InboxPage([], page, pages, total)
    pending = list(
        db.session.scalars(
            sa.select(Booking)
            .where(
                Booking.series_id.in_(list(cards)),
                Booking.status == BookingStatus.PENDING,
                Booking.ends_at > now,
            )
            .order_by(Booking.starts_at, Booking.id)
        )
    )
    for booking in pending:
        cards[booking.series_id].pending.append(booking)
    _mark_competitors(cards, pending)
    _mark_problems(cards, pending, now)
    return InboxPage(list(cards.values()), page, pages, total)


def _mark_competitors(cards: dict[int, InboxCard], pending: list[Booking]) -> None:
    """Other series' pending requests for an overlapping time, in one query for the page."""
    space_ids = {b.space_id for b in pending}
    others = db.session.execute(
        sa.select(Booking.series_id, Booking.space_id, Booking.starts_at, Booking.blocked_until)
        .where(
            Booking.space_id.in_(space_ids),
            Booking.status == BookingStatus.PENDING,
            Booking.starts_at < max(b.blocked_until for b in pending),
            Booking.blocked_until > min(b.starts_at for b in pending),
        )
        .order_by(Booking.starts_at)
    ).all()
    by_space = defaultdict(list)
    for row in others:
        by_space[row.space_id].append(row)
    for booking in pending:
        count = sum(
            1
            for row in by_space[booking.space_id]
            if row.series_id != booking.series_id
            and row.starts_at < booking.blocked_until
            and row.blocked_until > booking.starts_at
        )
        if count:
            cards[booking.series_id].competing[booking.id] = count


def _mark_problems(cards: dict[int, InboxCard], pending: list[Booking], now: datetime) -> None:
    """``decision_problems`` for the whole page: closures and imported busy times are read
    once for every space on it."""
    spaces = {card.series.space.id: card.series.space for card in cards.values()}
    days = [to_local(b.starts_at).date() for b in pending]
    provider_ids = {s.provider_id for s in spaces.values()}
    closures = list(
        db.session.scalars(
            sa.select(Closure).where(
                sa.or_(Closure.space_id.in_(list(spaces)), Closure.provider_id.in_(provider_ids)),
                Closure.starts_on <= max(days),
                Closure.ends_on >= min(days),
            )
        )
    )
    longest_buffer = max(s.buffer_minutes for s in spaces.values())
    busy = imported_busy(
        list(spaces.values()),
        min(b.starts_at for b in pending),
        max(b.ends_at for b in pending) + timedelta(minutes=longest_buffer),
    )
    for booking in pending:
        space = spaces[booking.space_id]
        problems = rule_problems(
            space,
            booking.starts_at,
            booking.ends_at,
            now=now,
            closures=[
                c for c in closures if c.space_id == space.id or c.provider_id == space.provider_id
            ],
            busy=busy.get(space.id, []),
            check_notice=False,
            horizon_until=cards[booking.series_id].series.horizon_until,
        )
        if problems:
            cards[booking.series_id].problems[booking.id] = problems
