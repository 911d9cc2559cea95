"""The public list of opportunities: filters read from the URL, one query, pagination.

An opportunity is listed while it is published, not past ``valid_until`` and either has a shift
still to come or has no shifts at all (ongoing, flexible help). Past shifts and expired offers
therefore leave the list by themselves, with no clean-up job: what the list needs from the
shifts is kept on the opportunity (``app.volunteering.listing``) in a form that stays true as
time passes.

``q`` searches the text through the service-wide index (``app.search``), so it is Polish-aware
("seniorow" finds "seniorzy"); by default the best matches come first, then the soonest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.db import utcnow
from app.extensions import db
from app.inputs import parse_date
from app.search.service import compile_query, match_documents
from app.timeutil import local_day_bounds, local_today
from app.volunteering.listing import next_start_at
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityTag,
    OpportunityTagCode,
    Shift,
)
from app.volunteering.search_index import KIND
from app.volunteering.vocab import DAYPART_LABELS, DISTRICT_NAMES, SPHERES_BY_CODE

PER_PAGE = 10
SORTS = ("relevance", "soonest", "newest", "title")
MAX_QUERY = 200


@dataclass
class Filters:
    q: str = ""
    area: str = ""
    district: str = ""
    date_from: date | None = None
    date_to: date | None = None
    weekdays: list[int] = field(default_factory=list)
    dayparts: list[str] = field(default_factory=list)
    kind: str = ""
    tags: list[str] = field(default_factory=list)
    online: bool = False
    # "relevance": the best text matches first, then (and without a query) the soonest.
    sort: str = "relevance"
    page: int = 1

    @property
    def narrows_shifts(self) -> bool:
        return bool(self.date_from or self.date_to or self.weekdays or self.dayparts)

    @property
    def active(self) -> bool:
        return (
            bool(self.q or self.area or self.district or self.kind or self.tags or self.online)
            or self.narrows_shifts
        )


def _date(value: str | None) -> date | None:
    return parse_date(value)


def parse_filters(args: MultiDict) -> Filters:
    """Unknown or malformed values are ignored (a shared link never breaks the page)."""
    valid_tags = {tag.value for tag in OpportunityTagCode}
    valid_kinds = {kind.value for kind in OpportunityKind}
    weekdays = sorted({int(v) for v in args.getlist("weekday") if v.isdigit() and int(v) < 7})
    try:
        page = max(int(args.get("page", 1)), 1)
    except ValueError:
        page = 1
    q = " ".join(args.get("q", "").split())[:MAX_QUERY]
    return Filters(
        q=q,
        area=args.get("area", "") if args.get("area") in SPHERES_BY_CODE else "",
        district=args.get("district", "") if args.get("district") in DISTRICT_NAMES else "",
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        weekdays=weekdays,
        dayparts=[p for p in DAYPART_LABELS if p in args.getlist("daypart")],
        kind=args.get("kind", "") if args.get("kind") in valid_kinds else "",
        tags=[t for t in args.getlist("tag") if t in valid_tags],
        online=args.get("online") in {"1", "on", "true"},
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=page,
    )


def listed_condition(now: datetime):
    """SQL condition: the opportunity belongs on the public list at ``now``: published, not
    past ``valid_until``, and a shift still to come or none at all. The shifts are read from
    the columns kept on the opportunity (``app.volunteering.listing``): "a shift not cancelled
    ends after now" is ``shifts_end > now`` at any time."""
    return sa.and_(
        Opportunity.public(),
        sa.or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= local_today()),
        sa.or_(Opportunity.shifts_end > now, Opportunity.has_shifts.is_(False)),
    )


def card_options(now: datetime) -> tuple:
    """What an opportunity card shows, loaded for the whole list in two queries instead of two
    per card: the organisation, and the upcoming shifts only (``upcoming_shifts()`` filters
    the same way, so it sees the same; a list page never reads the past ones)."""
    return (
        selectinload(Opportunity.organisation),
        selectinload(Opportunity.shifts.and_(Shift.ends_at > now, Shift.cancelled_at.is_(None))),
    )


@dataclass
class Page:
    items: list[Opportunity]
    total: int
    page: int
    pages: int


def search(filters: Filters, now: datetime | None = None, per_page: int = PER_PAGE) -> Page:
    now = now or utcnow()
    conditions = [listed_condition(now)]
    if filters.area:
        conditions.append(Opportunity.sphere == filters.area)
    if filters.district:
        conditions.append(Opportunity.district == filters.district)
    if filters.kind:
        conditions.append(Opportunity.kind == OpportunityKind(filters.kind))
    if filters.online:
        conditions.append(Opportunity.is_online.is_(True))
    for tag in filters.tags:
        conditions.append(
            sa.exists().where(
                OpportunityTag.opportunity_id == Opportunity.id,
                OpportunityTag.code == OpportunityTagCode(tag),
            )
        )
    shift_conditions = [
        Shift.opportunity_id == Opportunity.id,
        Shift.ends_at > now,
        Shift.cancelled_at.is_(None),
    ]
    if filters.date_from:
        shift_conditions.append(Shift.starts_at >= local_day_bounds(filters.date_from)[0])
    if filters.date_to:
        shift_conditions.append(Shift.starts_at < local_day_bounds(filters.date_to)[1])
    if filters.weekdays:
        shift_conditions.append(Shift.local_weekday.in_(filters.weekdays))
    if filters.dayparts:
        shift_conditions.append(Shift.local_daypart.in_(filters.dayparts))
    if filters.narrows_shifts:
        conditions.append(sa.exists().where(*shift_conditions))

    if filters.narrows_shifts:
        # The next start among the shifts that pass the filters: from the shifts themselves.
        next_start = (
            sa.select(sa.func.min(Shift.starts_at))
            .where(*shift_conditions)
            .correlate(Opportunity)
            .scalar_subquery()
        )
    else:
        next_start = next_start_at(now, shift_conditions)
    query = sa.select(Opportunity).where(*conditions)
    compiled = compile_query(filters.q) if filters.q else None
    ranked = None
    if compiled is not None:
        ranked = match_documents(compiled, [KIND]).subquery()
        query = query.join(ranked, ranked.c.ref_id == Opportunity.id)
    if filters.sort == "newest":
        query = query.order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
    elif filters.sort == "title":
        query = query.order_by(Opportunity.title, Opportunity.id)
    else:
        # Ongoing offers without shifts come after dated ones.
        best_first = (
            [ranked.c.score.desc()] if ranked is not None and filters.sort == "relevance" else []
        )
        query = query.order_by(*best_first, sa.nulls_last(next_start.asc()), Opportunity.id)

    # The count needs neither the columns nor the order.
    counted = query.with_only_columns(Opportunity.id).order_by(None).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(filters.page, pages)
    items = db.session.scalars(
        query.options(selectinload(Opportunity.organisation))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    load_next_shifts(items, now)
    return Page(items=list(items), total=total, page=page, pages=pages)


def load_next_shifts(opportunities: list[Opportunity], now: datetime) -> None:
    """A list card shows its offer's next shift only (``Opportunity.card_shifts``): load that
    one per offer in one query instead of every upcoming shift of every card (≈ 10 each at
    city scale, half the cost of the list's data). The first by start (then id, where the
    relationship's order leaves ties to the database) among those ``upcoming_shifts()`` gives."""
    if not opportunities:
        return
    number = (
        sa.func.row_number()
        .over(partition_by=Shift.opportunity_id, order_by=(Shift.starts_at, Shift.id))
        .label("number")
    )
    ranked = (
        sa.select(Shift.id, number)
        .where(
            Shift.opportunity_id.in_([o.id for o in opportunities]),
            Shift.ends_at > now,
            Shift.cancelled_at.is_(None),
        )
        .subquery()
    )
    shifts = db.session.scalars(
        sa.select(Shift).join(ranked, ranked.c.id == Shift.id).where(ranked.c.number == 1)
    )
    first = {shift.opportunity_id: shift for shift in shifts}
    for opportunity in opportunities:
        shift = first.get(opportunity.id)
        opportunity.loaded_card_shifts = [shift] if shift else []


def newest(limit: int = 30, now: datetime | None = None, **filters) -> list[Opportunity]:
    """Listed opportunities, newest first (the Atom feed and the weekly digest)."""
    query = sa.select(Opportunity).where(listed_condition(now or utcnow()))
    if filters.get("area"):
        query = query.where(Opportunity.sphere == filters["area"])
    if filters.get("district"):
        query = query.where(Opportunity.district == filters["district"])
    if filters.get("since"):
        query = query.where(Opportunity.published_at >= filters["since"])
    query = query.order_by(Opportunity.published_at.desc(), Opportunity.id.desc()).limit(limit)
    return list(db.session.scalars(query.options(*card_options(now or utcnow()))))
