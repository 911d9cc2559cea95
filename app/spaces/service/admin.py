"""Providers and their spaces, created and described by people (not only by the demo), and
their managers.

Names are unique case-insensitively (a provider's name; a space's name within its provider):
unique indexes on ``lower(name)`` guard that, not a look-up before the insert, and their
refusal becomes a ``DomainError`` on the form's field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit, slugs
from app.calendars.service import provider_scope, revoke_feed_tokens
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    Provider,
    ProviderManager,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)

DUPLICATE_SPACE = _l("Ten udostępniający ma już przestrzeń o tej nazwie.")
DUPLICATE_PROVIDER = _l("Udostępniający o tej nazwie już istnieje.")
ALREADY_MANAGER = _l("Ta osoba już zarządza tym udostępniającym.")
TRY_AGAIN = _l("Nie udało się zapisać – spróbuj ponownie.")

# PostgreSQL names the refused constraint; SQLite names its columns.
_SPACE_NAME_TAKEN = {
    Space.UNIQUE_NAME: ("name", DUPLICATE_SPACE),
    "spaces.name_key": ("name", DUPLICATE_SPACE),
}
_PROVIDER_NAME_TAKEN = {
    Provider.UNIQUE_NAME: ("name", DUPLICATE_PROVIDER),
    "providers.name_key": ("name", DUPLICATE_PROVIDER),
}


@contextmanager
def _unique(refusals: dict[str, tuple[str, object]]) -> Iterator[None]:
    """Make the changes in a savepoint (``begin_nested`` flushes what is pending before it, so
    the changes belong inside). A unique index named in ``refusals`` (index name -> form field,
    message) that refuses them becomes a DomainError on that field, with the savepoint rolled
    back and the session usable for showing the form again. Any other refusal (a slug a
    concurrent request took a moment ago) asks to try again."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        for name, (form_field, message) in refusals.items():
            if name in text:
                raise DomainError(message, field=form_field) from error
        raise DomainError(TRY_AGAIN, field="name") from error


@dataclass
class SpaceDescription:
    """What a manager says about a space (rules, terms and hours are ``SpaceSettings``)."""

    name: str
    kind: SpaceKind
    description: str = ""
    address: str = ""
    district: str | None = None
    capacity: int | None = None
    area_m2: int | None = None
    floor: str | None = None
    stock: int = 1
    features: list[str] = field(default_factory=list)
    house_rules: str = ""
    latitude: Decimal | None = None  # WGS84, both or neither
    longitude: Decimal | None = None


def _unique_slug(model, name: str, fallback: str) -> str:
    return slugs.unique_slug(model, name, fallback)


def _describe(space: Space, description: SpaceDescription) -> None:
    from app.spaces.vocab import ACCESSIBILITY, DISTRICTS, EQUIPMENT

    space.name = description.name.strip()
    space.description = description.description.strip()
    space.address = description.address.strip()
    space.district = description.district if description.district in DISTRICTS else None
    space.house_rules = description.house_rules.strip()
    if (description.latitude is None) == (description.longitude is None):
        space.latitude, space.longitude = description.latitude, description.longitude
    if space.kind == SpaceKind.ROOM:
        space.capacity = description.capacity
        space.area_m2 = description.area_m2
        space.floor = (description.floor or "").strip() or None
        space.stock = 1
    else:
        space.capacity = None
        space.area_m2 = None
        space.floor = None
        space.stock = description.stock
    wanted = {c for c in description.features if c in EQUIPMENT or c in ACCESSIBILITY}
    for feature in list(space.features):
        if feature.code not in wanted:
            space.features.remove(feature)
    for code in sorted(wanted - space.feature_codes):
        space.features.append(SpaceFeature(code=code))


def create_space(provider: Provider, description: SpaceDescription) -> Space:
    """A new room or equipment item of ``provider`` with a slug made from its name. Default
    rules and free terms until the manager sets them on the space's management page."""
    with _unique(_SPACE_NAME_TAKEN):
        space = Space(
            # The relationship, not just the id: the search index reads the provider's name
            # while this insert is flushed.
            provider=provider,
            kind=description.kind,
            slug=_unique_slug(Space, description.name, "przestrzen"),
            terms=TermsKind.FREE,
        )
        db.session.add(space)
        _describe(space, description)
    return space


def update_space_description(space: Space, description: SpaceDescription) -> None:
    """Name, description, place, size, stock and features. The kind and the slug stay: links
    and bookings refer to them."""
    with _unique(_SPACE_NAME_TAKEN):
        _describe(space, description)


def set_space_active(space: Space, active: bool) -> None:
    """An inactive space leaves the catalogue, matching and booking; its bookings stay."""
    space.active = active
    db.session.flush()


def create_provider(name: str, kind, organisation: Organisation | None = None) -> Provider:
    name = name.strip()
    provider = Provider(
        name=name,
        kind=kind,
        slug=_unique_slug(Provider, name, "udostepniajacy"),
        organisation_id=organisation.id if organisation else None,
    )
    with _unique(_PROVIDER_NAME_TAKEN):
        db.session.add(provider)
    return provider


def add_manager(provider: Provider, email: str) -> ProviderManager:
    """Make the account with ``email`` a manager of ``provider``."""
    from app.accounts.models import User

    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )
    if user is None:
        raise DomainError(
            _("Nie ma konta z tym adresem e-mail. Poproś tę osobę o założenie konta."),
            status=422,
            field="email",
        )
    with _unique(
        {
            "uq_provider_managers_provider_id_user_id": ("email", ALREADY_MANAGER),
            "provider_managers.provider_id": ("email", ALREADY_MANAGER),
        }
    ):
        manager = ProviderManager(provider_id=provider.id, user_id=user.id)
        db.session.add(manager)
    audit.record("provider.manager_added", subject_user=user, provider=provider)
    return manager


def remove_manager(provider: Provider, user_id: int) -> bool:
    manager = db.session.scalar(
        sa.select(ProviderManager).where(
            ProviderManager.provider_id == provider.id, ProviderManager.user_id == user_id
        )
    )
    if manager is None:
        return False
    # Their private calendar link to this provider's bookings ends with the role.
    revoke_feed_tokens(user_id, provider_scope(provider.id))
    audit.record("provider.manager_removed", subject_user=user_id, provider=provider)
    db.session.delete(manager)
    db.session.flush()
    return True
