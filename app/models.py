"""Imports every model so the metadata (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import User
from app.mail import OutboxMessage
from app.organisations.models import (
    Competence,
    Invitation,
    MemberRole,
    Membership,
    MembershipRequest,
    Offer,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
)
from app.search.models import SearchDocument, SearchTerm
from app.spaces.models import Provider, ProviderKind, ProviderManager

__all__ = [
    "Competence",
    "Invitation",
    "MemberRole",
    "Membership",
    "MembershipRequest",
    "Offer",
    "Organisation",
    "OrganisationArea",
    "OrganisationDistrict",
    "OutboxMessage",
    "Project",
    "Provider",
    "ProviderKind",
    "ProviderManager",
    "SearchDocument",
    "SearchTerm",
    "User",
]
