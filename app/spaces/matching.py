"""Venue matching: from an NGO's need to free, fitting spaces, ranked, with the reasons.

Candidates are filtered in SQL (active rooms, capacity, required features, districts, terms);
the slot-holding bookings of all candidates in the needed window are then read in ONE query and
checked in Python with the same rules as a booking request. When nothing fits we look for the
nearest alternatives: other times that day, the next days, nearby districts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from app.calendars.imports.models import busy_exists
from app.extensions import db
from app.spaces import service
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    OpeningHours,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)
from app.spaces.vocab import district_label, nearby_districts

if TYPE_CHECKING:
    from app.spaces.nothing_fits import Explanation

# Only the best few are shown; the SQL order approximates the rank, Python refines it.
CANDIDATE_LIMIT = 60
# Below this many fitting rooms, alternative searches are restricted to their ids.
FEW = 500
TERMS_ORDER = {TermsKind.FREE: 0, TermsKind.BARTER: 1, TermsKind.FEE: 2}


@dataclass
class Need:
    day: date
    start: time
    end: time
    people: int = 1
    recurrence: Recurrence = Recurrence.ONCE
    count: int | None = None
    equipment: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    terms: list[TermsKind] = field(default_factory=list)  # empty: any


@dataclass
class Match:
    space: Space
    score: float
    reasons: list[str]
    day: date
    start: time
    end: time
    note: str = ""


@dataclass
class MatchResult:
    matches: list[Match]
    alternatives: list[Match]
    why: Explanation | None = None  # when nothing fits exactly


def candidates_query(need: Need, districts: list[str]) -> sa.Select:
    """Rooms that fit the need whatever the time: capacity, features, districts, terms."""
    query = (
        sa.select(Space)
        .where(Space.listed(), Space.kind == SpaceKind.ROOM)
        .where(sa.or_(Space.capacity.is_(None), Space.capacity >= need.people))
    )
    required = sorted(set(need.equipment) | set(need.accessibility))
    if required:
        having = (
            sa.select(SpaceFeature.space_id)
            .where(SpaceFeature.code.in_(required))
            .group_by(SpaceFeature.space_id)
            .having(sa.func.count() == len(required))
        )
        query = query.where(Space.id.in_(having))
    if districts:
        query = query.where(Space.district.in_(districts))
    if need.terms:
        query = query.where(Space.terms.in_(need.terms))
    return query


def candidates(
    need: Need,
    *,
    districts: list[str] | None = None,
    slots: list[tuple[datetime, datetime]] = (),
    weekday: int | None = None,
    start: time | None = None,
    end: time | None = None,
    limit: int = CANDIDATE_LIMIT,
    among: Sequence[int] | None = None,
) -> list[Space]:
    """Spaces that fit the need, pre-filtered in SQL: active rooms, capacity, every required
    feature, districts, terms and, when ``slots`` are given, open at that time and with no
    slot-holding booking overlapping any slot. The exact rules (buffers, closures, notice) are
    checked afterwards in Python on these few. Ordered roughly by rank, at most ``limit``."""
    query = candidates_query(need, need.districts if districts is None else districts).options(
        selectinload(Space.features),
        selectinload(Space.opening_hours),
        selectinload(Space.provider),
    )
    if among is not None:
        query = query.where(Space.id.in_(among))
    if weekday is not None and start is not None and end is not None:
        hours = sa.select(OpeningHours.id).where(OpeningHours.space_id == Space.id)
        query = query.where(
            sa.or_(
                hours.where(
                    OpeningHours.weekday == weekday,
                    OpeningHours.opens <= start,
                    OpeningHours.closes >= end,
                ).exists(),
                ~hours.exists(),
            )
        )
    for slot_start, slot_end in slots:
        # One NOT EXISTS per slot (an OR of slots defeats the index). Occurrences never span
        # more than a day, so "started within a day before the slot's end" keeps the range on
        # ix_bookings_space_time (space_id, starts_at) short even with a million bookings.
        taken = sa.select(Booking.id).where(
            Booking.space_id == Space.id,
            Booking.starts_at < slot_end,
            Booking.starts_at > slot_start - timedelta(days=1),
            Booking.blocked_until > slot_start,
            Booking.status.in_(SLOT_HOLDING_STATUSES),
        )
        query = query.where(~taken.exists())
        query = query.where(~busy_exists(Space.id, Space.provider_id, slot_start, slot_end))
    order = []
    if need.districts:
        order.append(sa.case((Space.district.in_(need.districts), 0), else_=1))
    terms_order = sa.case(
        (Space.terms == TermsKind.FREE, 0), (Space.terms == TermsKind.BARTER, 1), else_=2
    )
    order += [terms_order, sa.func.coalesce(Space.capacity, 0), Space.id]
    query = query.order_by(*order).limit(limit)
    return list(db.session.scalars(query))


def free_spaces(
    need: Need,
    day: date,
    start: time,
    end: time,
    *,
    districts=None,
    now=None,
    limit: int = CANDIDATE_LIMIT,
    among: Sequence[int] | None = None,
):
    """Spaces free and fitting for the need's pattern starting on ``day`` at ``start``–``end``."""
    days = service.occurrence_days(need.recurrence, day, until=None, count=need.count or 1)
    school_days = set(
        service.occurrence_days(
            need.recurrence, day, until=None, count=need.count or 1, school_weeks=True
        )
    )
    # The dates of every kind of space (a school's fortnight follows its A/B weeks): the
    # query leaves out only spaces taken on one of them; ``_free_spaces`` checks each exactly.
    slots = [service.slot_for(d, start, end) for d in days if d in school_days]
    spaces = candidates(
        need,
        districts=districts,
        slots=slots,
        weekday=day.weekday(),
        start=start,
        end=end,
        limit=limit,
        among=among,
    )
    return _free_spaces(spaces, need, day, start, end, now)


def _free_spaces(spaces: list[Space], need: Need, day: date, start: time, end: time, now=None):
    """The candidates that pass every rule for every occurrence (exact check in Python). A
    school's fortnightly series follows its A/B weeks, as the request will (``occurrence_days``)."""
    count = need.count or 1
    days = service.occurrence_days(need.recurrence, day, until=None, count=count)
    school_days = service.occurrence_days(
        need.recurrence, day, until=None, count=count, school_weeks=True
    )
    slots = [service.slot_for(d, start, end) for d in days]
    school_slots = [service.slot_for(d, start, end) for d in school_days]
    if not spaces or not slots:
        return []
    every = sorted(set(slots) | set(school_slots))
    max_buffer = timedelta(minutes=max(s.buffer_minutes for s in spaces))
    holders = service.slot_holders(
        [s.id for s in spaces],
        every[0][0] - max_buffer - timedelta(hours=12),
        every[-1][1] + max_buffer,
        slots=every,
        rooms=service.all_rooms(spaces),
    )
    closures = service.closures_by_space(
        spaces, min(days[0], school_days[0]), max(days[-1], school_days[-1])
    )
    busy = service.imported_busy(spaces, every[0][0], every[-1][1] + max_buffer)
    free = []
    for space in spaces:
        ok = True
        for starts_at, ends_at in school_slots if service.uses_school_weeks(space) else slots:
            if service.rule_problems(
                space,
                starts_at,
                ends_at,
                now=now,
                closures=closures.get(space.id, []),
                busy=busy.get(space.id, []),
            ) or service.conflicts_for(
                space, starts_at, ends_at, holders=holders.get(space.id, [])
            ):
                ok = False
                break
        if ok:
            free.append(space)
    return free


def rank(space: Space, need: Need) -> tuple[float, list[str]]:
    """Higher is better. Reasons say why in the user's language."""
    score, reasons = 0.0, []
    if need.districts and space.district in need.districts:
        score += 3
        reasons.append(
            _("w wybranej dzielnicy: %(district)s", district=district_label(space.district))
        )
    if space.capacity:
        spare = space.capacity - need.people
        # A room just big enough is better than a hall for a small group.
        fit = max(0.0, 2 - spare / max(need.people, 1))
        score += fit
        reasons.append(ngettext("mieści %(num)d osobę", "mieści %(num)d osób", space.capacity))
    required = set(need.equipment) | set(need.accessibility)
    if required:
        reasons.append(_("ma wszystko, czego potrzebujesz"))
    extra_access = {"step_free", "lift", "accessible_toilet"} & space.feature_codes
    if extra_access:
        score += 0.5 * len(extra_access)
        reasons.append(_("dostępna dla osób z niepełnosprawnościami"))
    score += 2 - TERMS_ORDER[space.terms]
    if space.terms == TermsKind.FREE:
        reasons.append(_("bezpłatnie dla organizacji"))
    elif space.terms == TermsKind.BARTER:
        reasons.append(_("w zamian za zajęcia (barter)"))
    else:
        reasons.append(
            _("stawka dla organizacji: %(fee)s zł/h", fee=space.fee_ngo or space.fee_normal)
        )
    return score, reasons


def _matches(spaces, need, day, start, end, note=""):
    found = []
    for space in spaces:
        score, reasons = rank(space, need)
        found.append(Match(space, score, reasons, day, start, end, note))
    found.sort(key=lambda m: (-m.score, m.space.name))
    return found


def match_venues(need: Need, *, now=None, limit: int = 20, alternatives: int = 10) -> MatchResult:
    free = free_spaces(need, need.day, need.start, need.end, now=now)
    matches = _matches(free, need, need.day, need.start, need.end)[:limit]
    if matches:
        return MatchResult(matches, [])
    from app.spaces.nothing_fits import why_nothing_fits

    return MatchResult(
        [], find_alternatives(need, now=now, limit=alternatives), why_nothing_fits(need, now=now)
    )


def find_alternatives(need: Need, *, now=None, limit: int = 10) -> list[Match]:
    """The nearest alternatives: other times that day, the next days, nearby districts."""
    result: list[Match] = []
    seen: set[tuple[int, date, time]] = set()

    def add(found: list[Match]):
        for match in found:
            key = (match.space.id, match.day, match.start)
            if key not in seen and match.space.id not in {m.space.id for m in result}:
                seen.add(key)
                result.append(match)

    # Rooms that fit regardless of time: if there are none, no other time or day can help,
    # and when there are few, the time-shifted searches look only at them.
    fitting = list(
        db.session.scalars(
            candidates_query(need, need.districts).with_only_columns(Space.id).limit(FEW + 1)
        )
    )
    among = fitting if len(fitting) <= FEW else None
    length = _minutes(need.end) - _minutes(need.start)
    for shift in (60, -60, 120, -120, 180, -180) if fitting else ():
        begin = _minutes(need.start) + shift
        if begin < 6 * 60 or begin + length > 23 * 60:
            continue
        start, end = _clock(begin), _clock(begin + length)
        free = free_spaces(need, need.day, start, end, now=now, limit=limit, among=among)
        add(_matches(free, need, need.day, start, end, _("inna godzina tego dnia")))
        if len(result) >= limit:
            return result[:limit]
    for offset in range(1, 8) if fitting else ():
        day = need.day + timedelta(days=offset)
        free = free_spaces(need, day, need.start, need.end, now=now, limit=limit, among=among)
        add(_matches(free, need, day, need.start, need.end, _("inny dzień")))
        if len(result) >= limit:
            return result[:limit]
    nearby = nearby_districts(need.districts) if need.districts else []
    if nearby:  # (no neighbours: an empty list would mean every district)
        free = free_spaces(
            need, need.day, need.start, need.end, districts=nearby, now=now, limit=limit
        )
        add(_matches(free, need, need.day, need.start, need.end, _("sąsiednia dzielnica")))
    return result[:limit]


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)
