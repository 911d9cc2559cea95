"""The list's query as it was before the opportunity kept its shift columns (branch vol7): the
listed condition an EXISTS on the shifts, the order each offer's ``min()`` of upcoming starts.
tests/volunteering/test_listing_columns.py compares the list with it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.search.service import compile_query, match_documents
from app.timeutil import local_day_bounds, local_today
from app.volunteering.browse import Filters
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityTag,
    OpportunityTagCode,
    Shift,
)
from app.volunteering.search_index import KIND


def listed_condition(now: datetime):
    upcoming = sa.exists().where(
        Shift.opportunity_id == Opportunity.id,
        Shift.ends_at > now,
        Shift.cancelled_at.is_(None),
    )
    any_shift = sa.exists().where(Shift.opportunity_id == Opportunity.id)
    return sa.and_(
        Opportunity.public(),
        sa.or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= local_today()),
        sa.or_(upcoming, ~any_shift),
    )


def search(filters: Filters, now: datetime, per_page: int = 10) -> tuple[list[int], int, int]:
    """(ids of the page, total, page) exactly as ``browse.search`` computed them."""
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
    next_start = (
        sa.select(sa.func.min(Shift.starts_at))
        .where(*shift_conditions)
        .correlate(Opportunity)
        .scalar_subquery()
    )
    query = sa.select(Opportunity.id).where(*conditions)
    ranked = None
    if filters.q and (compiled := compile_query(filters.q)) is not None:
        ranked = match_documents(compiled, [KIND]).subquery()
        query = query.join(ranked, ranked.c.ref_id == Opportunity.id)
    if filters.sort == "newest":
        query = query.order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
    elif filters.sort == "title":
        query = query.order_by(Opportunity.title, Opportunity.id)
    else:
        best_first = (
            [ranked.c.score.desc()] if ranked is not None and filters.sort == "relevance" else []
        )
        query = query.order_by(*best_first, sa.nulls_last(next_start.asc()), Opportunity.id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(filters.page, pages)
    ids = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return list(ids), total, page
