"""A space's practical details: who may read the access instructions, and saving the details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app import permissions
from app.db import utcnow
from app.extensions import db
from app.spaces.details_models import SpaceDetails
from app.spaces.models import Booking, BookingSeries, BookingStatus, Space

# An organisation keeps seeing how to get in for a day after its last confirmed booking ended
# (a forgotten item, the key returned the next morning).
ACCESS_GRACE = timedelta(days=1)


def can_see_access(user, space: Space) -> bool:
    """The access instructions (key pick-up, caretaker, entrance, alarm) are for the provider's
    managers, city staff and members of an organisation with a confirmed booking of this space
    that has not ended (plus ``ACCESS_GRACE``). Nobody else, and never in a feed or open data."""
    if not getattr(user, "is_authenticated", False):
        return False
    if permissions.is_staff(user) or permissions.manages_provider(user, space.provider):
        return True
    organisation_ids = [o.id for o in permissions.user_organisations(user)]
    if not organisation_ids:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.literal(True))
            .select_from(Booking)
            .join(BookingSeries, Booking.series_id == BookingSeries.id)
            .where(
                Booking.space_id == space.id,
                Booking.status == BookingStatus.APPROVED,
                Booking.ends_at > utcnow() - ACCESS_GRACE,
                BookingSeries.organisation_id.in_(organisation_ids),
            )
            .limit(1)
        )
    )


@dataclass
class DetailsInput:
    directions: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    day_contact: str = ""
    access_instructions: str = ""
    accessible_entrance: str = ""
    door_width_cm: int | None = None
    accessible_toilet: str = ""
    accessibility_notes: str = ""
    fee_normal_half_day: Decimal | None = None
    fee_ngo_half_day: Decimal | None = None
    fee_normal_day: Decimal | None = None
    fee_ngo_day: Decimal | None = None


def details_for_edit(space: Space) -> SpaceDetails:
    details = db.session.scalar(sa.select(SpaceDetails).where(SpaceDetails.space_id == space.id))
    return details or SpaceDetails(space_id=space.id)


def save_details(space: Space, data: DetailsInput) -> SpaceDetails:
    details = details_for_edit(space)
    for name, value in vars(data).items():
        setattr(details, name, value.strip() if isinstance(value, str) else value)
    db.session.add(details)
    db.session.flush()
    return details
