"""RODO (GDPR): a user can download everything we hold about them and delete their account.

Domains that keep personal data register an exporter (what to include in the download) and, where
rows must be anonymised rather than deleted by the foreign-key cascade (e.g. confirmed volunteer
hours an organisation must keep for a grant settlement), an eraser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.accounts.models import User
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


def delete_account(user: User) -> None:
    """Erase the account; domain erasers run first, then the cascade removes the rest."""
    for eraser in _erasers:
        eraser(user)
    db.session.delete(user)
