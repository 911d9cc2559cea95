"""Organisations' own premises: an NGO lends its rooms or equipment to other NGOs under the
same rules as a school or CAL (seed item 57).

The organisation becomes a provider (``Provider.organisation_id``); every member of the
organisation manages it (``permissions.manages_provider``), the member who published it is
also named a manager so the provider's mail reaches someone. Its spaces, requests, decisions
and feeds are those of any provider; the catalogue names the organisation.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import Provider, ProviderKind, ProviderManager
from app.spaces.service.admin import create_provider


def organisation_provider(organisation: Organisation) -> Provider | None:
    """The provider an organisation publishes its premises as (the first, if staff made more)."""
    return db.session.scalar(
        sa.select(Provider)
        .where(Provider.organisation_id == organisation.id)
        .order_by(Provider.id)
        .limit(1)
    )


def publish_premises(
    organisation: Organisation, user, *, name: str, description: str, contact_email: str
) -> Provider:
    """Make ``organisation`` a provider of its own spaces, once. The organisation's row is
    locked first (PostgreSQL; SQLite has one writer), so two members clicking at the same
    moment make one provider, not two."""
    db.session.execute(
        sa.select(Organisation.id).where(Organisation.id == organisation.id).with_for_update()
    )
    existing = organisation_provider(organisation)
    if existing is not None:
        return existing
    name = (name or "").strip() or organisation.name
    provider = create_provider(name, ProviderKind.NGO, organisation)
    provider.description = (description or "").strip()
    provider.contact_email = (contact_email or "").strip() or None
    provider.managers.append(ProviderManager(user_id=user.id))
    db.session.flush()
    return provider
