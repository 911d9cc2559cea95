"""RODO (GDPR): a user can download everything we hold about them and delete their account.

Domains that keep personal data register an exporter (what to include in the download) and, where
rows must be anonymised rather than deleted by the foreign-key cascade (e.g. confirmed volunteer
hours an organisation must keep for a grant settlement), an eraser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.domain import DomainError
from app.extensions import db

Exporter = Callable[[User], Any]
Eraser = Callable[[User], None]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []


def register_exporter(name: str, exporter: Exporter) -> None:
    _exporters[name] = exporter


def register_eraser(eraser: Eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.locale,
            "created_at": _iso(user.created_at),
            "confirmed_at": _iso(user.confirmed_at),
            "last_login_at": _iso(user.last_login_at),
            "city_staff": user.is_staff,
        },
        "organisations": [
            {"organisation": m.organisation.name, "role": m.role.value} for m in user.memberships
        ],
        "providers": [{"provider": p.provider.name} for p in user.provider_roles],
    }
    for name, exporter in _exporters.items():
        data[name] = exporter(user)
    return data


SOLE_RESPONSIBILITY = _l(
    "Nie można jeszcze usunąć konta: jesteś jedyną osobą zarządzającą organizacją lub "
    "udostępniającym. Najpierw przekaż zarządzanie innej osobie."
)


@dataclass
class SoleResponsibilities:
    """What nobody else could manage if the account went: the organisations it alone owns and
    the space providers it alone manages (with their bookings)."""

    organisations: list = field(default_factory=list)
    providers: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.organisations or self.providers)


def sole_responsibilities(user: User) -> SoleResponsibilities:
    from app.organisations.models import MemberRole, Membership, Organisation
    from app.spaces.models import Provider, ProviderManager

    other = sa.orm.aliased(Membership)
    other_owner = (
        sa.select(other.id)
        .where(
            other.organisation_id == Organisation.id,
            other.role == MemberRole.OWNER,
            other.user_id != user.id,
        )
        .exists()
    )
    organisations = db.session.scalars(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.role == MemberRole.OWNER, ~other_owner)
        .order_by(Organisation.name)
    )
    colleague = sa.orm.aliased(ProviderManager)
    other_manager = (
        sa.select(colleague.id)
        .where(colleague.provider_id == Provider.id, colleague.user_id != user.id)
        .exists()
    )
    providers = db.session.scalars(
        sa.select(Provider)
        .join(ProviderManager, ProviderManager.provider_id == Provider.id)
        .where(ProviderManager.user_id == user.id, ~other_manager)
        .order_by(Provider.name)
    )
    return SoleResponsibilities(list(organisations), list(providers))


def delete_account(user: User) -> None:
    """Erase the account; domain erasers run first, then the cascade removes the rest.

    Refused while the user is the only owner of an organisation or the only manager of a space
    provider: the cascade would leave it with nobody to manage it or its bookings (issue 10)."""
    if sole_responsibilities(user):
        raise DomainError(SOLE_RESPONSIBILITY)
    for eraser in _erasers:
        eraser(user)
    db.session.delete(user)
