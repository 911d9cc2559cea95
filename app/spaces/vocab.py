"""Controlled vocabularies of the spaces domain: districts, features and accessibility.

Districts come from ``app/organisations/districts.py`` (shared by every domain); the
neighbourhood map used by venue matching is ours.
"""

from __future__ import annotations

from app import districts as shared_districts
from app.vocabularies import LazyNames, active_choices
from app.vocabularies.models import Vocabulary

# Toruń's districts (osiedla), shared with the other domains: slug -> Polish name.
DISTRICTS: dict[str, str] = shared_districts.DISTRICTS_BY_CODE

# Which districts border each other (used by venue matching to suggest nearby places).
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "stare-miasto": (
        "bydgoskie-przedmiescie",
        "chelminskie-przedmiescie",
        "jakubskie-przedmiescie",
    ),
    "bydgoskie-przedmiescie": ("stare-miasto", "chelminskie-przedmiescie", "bielany"),
    "chelminskie-przedmiescie": (
        "stare-miasto",
        "bydgoskie-przedmiescie",
        "mokre",
        "bielany",
        "koniuchy",
    ),
    "jakubskie-przedmiescie": ("stare-miasto", "mokre", "rubinkowo", "kaszczorek"),
    "mokre": (
        "jakubskie-przedmiescie",
        "chelminskie-przedmiescie",
        "rubinkowo",
        "na-skarpie",
        "koniuchy",
    ),
    "rubinkowo": ("mokre", "na-skarpie", "jakubskie-przedmiescie", "winnica"),
    "na-skarpie": ("rubinkowo", "mokre", "grebocin-nad-struga", "kaszczorek"),
    "bielany": ("bydgoskie-przedmiescie", "chelminskie-przedmiescie", "wrzosy"),
    "wrzosy": ("bielany", "koniuchy", "bydgoskie-przedmiescie"),
    "koniuchy": ("wrzosy", "chelminskie-przedmiescie", "mokre"),
    "podgorz": ("stawki", "rudak", "piaski"),
    "stawki": ("podgorz", "rudak", "glinki"),
    "rudak": ("podgorz", "stawki", "glinki"),
    "glinki": ("rudak", "stawki", "czerniewice"),
    "kaszczorek": ("na-skarpie", "jakubskie-przedmiescie", "czerniewice"),
    "czerniewice": ("kaszczorek", "glinki"),
    "katarzynka": ("brzezina", "bielany"),
    "winnica": ("rubinkowo", "grebocin-nad-struga"),
    "grebocin-nad-struga": ("na-skarpie", "winnica"),
    "piaski": ("podgorz", "brzezina"),
    "brzezina": ("piaski", "katarzynka"),
}

# Equipment of a room (what is there) and accessibility features, as feature codes: the
# ``equipment`` and ``accessibility`` vocabularies staff manage (app.vocabularies).
EQUIPMENT = LazyNames(Vocabulary.EQUIPMENT)
ACCESSIBILITY = LazyNames(Vocabulary.ACCESSIBILITY)


def equipment_choices() -> list[tuple[str, str]]:
    return active_choices(Vocabulary.EQUIPMENT)


def accessibility_choices() -> list[tuple[str, str]]:
    return active_choices(Vocabulary.ACCESSIBILITY)


def district_label(code: str | None) -> str:
    return DISTRICTS.get(code or "", code or "")


def feature_label(code: str) -> str:
    return EQUIPMENT.get(code) or ACCESSIBILITY.get(code) or code


def nearby_districts(codes: list[str]) -> list[str]:
    """Bordering districts (retired ones left out; a district staff added has no neighbours
    until one is written here)."""
    seen = set(codes)
    current = shared_districts.DISTRICT_CODES
    result = []
    for code in codes:
        for neighbour in NEIGHBOURS.get(code, ()):
            if neighbour not in seen and neighbour in current:
                seen.add(neighbour)
                result.append(neighbour)
    return result
