"""Demo space providers: real public places of Toruń, fictional managers."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.spaces.models import Provider, ProviderKind, ProviderManager

DEMO_PROVIDERS = [
    # slug, name, kind, manager key
    (
        "cal-2-pietro",
        "Toruńskie Centrum Aktywności Lokalnej „2.Piętro”",
        ProviderKind.ACTIVITY_CENTRE,
        "cal_manager",
    ),
    (
        "szkola-podstawowa-nr-7",
        "Szkoła Podstawowa nr 7 w Toruniu",
        ProviderKind.SCHOOL,
        "school_manager",
    ),
    (
        "zgm-lokale",
        "Zakład Gospodarki Mieszkaniowej – lokale dla organizacji",
        ProviderKind.CITY_UNIT,
        "city_manager",
    ),
    (
        "torunska-agenda-kulturalna",
        "Toruńska Agenda Kulturalna – wypożyczalnia sprzętu",
        ProviderKind.CITY_UNIT,
        "city_manager",
    ),
]


def load(users: dict, organisations: dict) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for slug, name, kind, manager in DEMO_PROVIDERS:
        provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
        if provider is None:
            provider = Provider(slug=slug, name=name, kind=kind)
            provider.managers.append(ProviderManager(user=users[manager]))
            db.session.add(provider)
        providers[slug] = provider
    db.session.flush()
    return providers
