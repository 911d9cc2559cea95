"""The public calendar's rows as they were read before branch vol7 (ORM objects of every shift
with its offer and organisation); tests/volunteering/test_public_calendar_rows.py compares."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.volunteering.calendar import (
    PUBLIC_LIMIT,
    _public_conditions,
    public_shift_event,
)
from app.volunteering.models import Opportunity, Shift


def public_shifts(*, area: str = "", district: str = "", now=None) -> list[Shift]:
    query = (
        sa.select(Shift)
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .options(selectinload(Shift.opportunity).selectinload(Opportunity.organisation))
        .where(*_public_conditions(area, district, now))
        .order_by(Shift.starts_at, Shift.id)
        .limit(PUBLIC_LIMIT)
    )
    return list(db.session.scalars(query))


def public_events(**filters):
    return [public_shift_event(shift) for shift in public_shifts(**filters)]
