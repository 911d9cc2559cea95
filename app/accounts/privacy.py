"""RODO (GDPR): a user can download everything we hold about them and delete their account.

Domains that keep personal data register an exporter (what to include in the download), where
rows must be anonymised rather than deleted by the foreign-key cascade (e.g. confirmed volunteer
hours an organisation must keep for a grant settlement) an eraser, and, for data kept only for a
while (guests' sign-ups, declined requests), a purger that the nightly retention job runs
(app/accounts/retention.py). docs/rodo.md is the register of these processing activities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.domain import DomainError
from app.extensions import db
from app.mail import OutboxMessage

Exporter = Callable[[User], Any]
Eraser = Callable[[User], None]
# A purger removes personal data past its retention time; returns how many rows it changed
# (a second run at the same moment changes nothing).
Purger = Callable[[datetime], int]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []
_purgers: dict[str, Purger] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    _exporters[name] = exporter


def register_eraser(eraser: Eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def register_purger(name: str, purger: Purger) -> None:
    _purgers[name] = purger


def purgers() -> dict[str, Purger]:
    return dict(_purgers)


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(user: User) -> dict[str, Any]:
    """The account's data download: the account, its consents, every domain's part, and the
    e-mails we still keep to the account's address (their bodies until the retention purge)."""
    from app.accounts.consents import consents_of

    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.locale,
            "created_at": iso(user.created_at),
            "confirmed_at": iso(user.confirmed_at),
            "last_login_at": iso(user.last_login_at),
            "city_staff": user.is_staff,
        },
        "consents": [
            {"document": c.document, "version": c.version, "accepted_at": iso(c.accepted_at)}
            for c in consents_of(user)
        ],
    }
    for name, exporter in _exporters.items():
        data[name] = exporter(user)
    data["emails"] = [
        {
            "subject": m.subject,
            "body": m.body,
            "created_at": iso(m.created_at),
            "sent_at": iso(m.sent_at),
        }
        for m in db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == user.email)
            .order_by(OutboxMessage.id)
        )
    ]
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
    # Last: the erasers above may have queued mail to the person (a cancelled sign-up).
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(user)
