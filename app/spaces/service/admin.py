"""Providers and their spaces, created and described by people (not only by the demo), and
their managers."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import slugs
from app.db import write_lock
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

# --- providers and their spaces: created and described by people, not only by the demo ------


class AdminError(Exception):
    """A change to a provider or a space that cannot be made; ``field`` names the form field
    the message belongs to."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.message = message
        self.field = field


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


def _unique_slug(model, name: str, fallback: str) -> str:
    return slugs.unique_slug(model, name, fallback)


def _same_name_space(provider_id: int, name: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Space.id).where(
        Space.provider_id == provider_id, sa.func.lower(Space.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Space.id != exclude_id)
    return db.session.scalar(query) is not None


def _describe(space: Space, description: SpaceDescription) -> None:
    from app.spaces.vocab import ACCESSIBILITY, DISTRICTS, EQUIPMENT

    space.name = description.name.strip()
    space.description = description.description.strip()
    space.address = description.address.strip()
    space.district = description.district if description.district in DISTRICTS else None
    space.house_rules = description.house_rules.strip()
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


_DUPLICATE_SPACE = _l("Ten udostępniający ma już przestrzeń o tej nazwie.")


def create_space(provider: Provider, description: SpaceDescription) -> Space:
    """A new room or equipment item of ``provider`` with a slug made from its name. Default
    rules and free terms until the manager sets them on the space's management page."""
    try:
        with write_lock(db.session):
            if _same_name_space(provider.id, description.name.strip()):
                raise AdminError(str(_DUPLICATE_SPACE))
            space = Space(
                # The relationship, not just the id: the search index reads the provider's
                # name while this insert is flushed.
                provider=provider,
                kind=description.kind,
                slug=_unique_slug(Space, description.name, "przestrzen"),
                terms=TermsKind.FREE,
            )
            _describe(space, description)
            db.session.add(space)
    except IntegrityError as error:
        # Another request took the same slug between our look-up and the insert.
        raise AdminError(_("Nie udało się zapisać – spróbuj ponownie.")) from error
    return space


def update_space_description(space: Space, description: SpaceDescription) -> None:
    """Name, description, place, size, stock and features. The kind and the slug stay: links
    and bookings refer to them."""
    space_id = space.id
    with write_lock(db.session):
        space = db.session.get(Space, space_id)
        if _same_name_space(space.provider_id, description.name.strip(), exclude_id=space.id):
            raise AdminError(str(_DUPLICATE_SPACE))
        _describe(space, description)


def set_space_active(space: Space, active: bool) -> None:
    """An inactive space leaves the catalogue, matching and booking; its bookings stay."""
    space.active = active
    db.session.commit()


def create_provider(name: str, kind, organisation: Organisation | None = None) -> Provider:
    name = name.strip()
    try:
        with write_lock(db.session):
            if db.session.scalar(
                sa.select(Provider.id).where(sa.func.lower(Provider.name) == name.lower())
            ):
                raise AdminError(_("Udostępniający o tej nazwie już istnieje."))
            provider = Provider(
                name=name,
                kind=kind,
                slug=_unique_slug(Provider, name, "udostepniajacy"),
                organisation_id=organisation.id if organisation else None,
            )
            db.session.add(provider)
    except IntegrityError as error:
        raise AdminError(_("Nie udało się zapisać – spróbuj ponownie.")) from error
    return provider


def add_manager(provider: Provider, email: str) -> ProviderManager:
    """Make the account with ``email`` a manager of ``provider``."""
    from app.accounts.models import User

    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )
    if user is None:
        raise AdminError(
            _("Nie ma konta z tym adresem e-mail. Poproś tę osobę o założenie konta."), "email"
        )
    try:
        with write_lock(db.session):
            exists = db.session.scalar(
                sa.select(ProviderManager.id).where(
                    ProviderManager.provider_id == provider.id,
                    ProviderManager.user_id == user.id,
                )
            )
            if exists:
                raise AdminError(_("Ta osoba już zarządza tym udostępniającym."), "email")
            manager = ProviderManager(provider_id=provider.id, user_id=user.id)
            db.session.add(manager)
    except IntegrityError as error:
        raise AdminError(_("Ta osoba już zarządza tym udostępniającym."), "email") from error
    return manager


def remove_manager(provider: Provider, user_id: int) -> bool:
    manager = db.session.scalar(
        sa.select(ProviderManager).where(
            ProviderManager.provider_id == provider.id, ProviderManager.user_id == user_id
        )
    )
    if manager is None:
        return False
    db.session.delete(manager)
    db.session.commit()
    return True
