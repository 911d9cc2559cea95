"""Imports every model so the metadata (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import User
from app.calendars.models import FeedToken
from app.mail import OutboxMessage
from app.organisations.models import MemberRole, Membership, Organisation
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatusChange,
    Closure,
    OpeningHours,
    Provider,
    ProviderKind,
    ProviderManager,
    Space,
    SpaceFeature,
)

__all__ = [
    "BarterDelivery",
    "Booking",
    "BookingSeries",
    "BookingStatusChange",
    "Closure",
    "FeedToken",
    "MemberRole",
    "Membership",
    "OpeningHours",
    "Organisation",
    "OutboxMessage",
    "Provider",
    "ProviderKind",
    "ProviderManager",
    "Space",
    "SpaceFeature",
    "User",
]
