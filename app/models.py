"""Imports every model so the metadata (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import User
from app.calendars.models import FeedToken
from app.mail import OutboxMessage
from app.organisations.models import MemberRole, Membership, Organisation
from app.spaces.models import Provider, ProviderKind, ProviderManager

__all__ = [
    "FeedToken",
    "MemberRole",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "Provider",
    "ProviderKind",
    "ProviderManager",
    "User",
]
