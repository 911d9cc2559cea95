"""What the organisation's profile shows of its volunteering: the offers volunteers can apply to
now and how quickly the organisation answers. Read-only; the rules (what is listed, how
responsiveness is counted) stay with app.volunteering and are only asked here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.organisations.models import Organisation


@dataclass(frozen=True)
class ProfileVolunteering:
    opportunities: list
    responsiveness: object | None


def volunteering_of(organisation: Organisation) -> ProfileVolunteering:
    from app.volunteering.browse import listed_condition
    from app.volunteering.models import Opportunity
    from app.volunteering.service import responsiveness

    now = utcnow()
    opportunities = db.session.scalars(
        sa.select(Opportunity)
        .where(Opportunity.organisation_id == organisation.id, listed_condition(now))
        .order_by(Opportunity.published_at.desc(), Opportunity.id)
    )
    return ProfileVolunteering(list(opportunities), responsiveness(organisation.id, now))
