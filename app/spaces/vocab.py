"""Controlled vocabularies of the spaces domain: districts, features and accessibility.

Districts come from ``app/districts.py`` (shared by every domain); which districts border
each other is data staff manage with the districts (``app.vocabularies.neighbours``).
"""

from __future__ import annotations

from app import districts as shared_districts
from app.vocabularies import LazyNames, active_choices, neighbours
from app.vocabularies.models import Vocabulary

# Toruń's districts (osiedla), shared with the other domains: slug -> Polish name.
DISTRICTS: dict[str, str] = shared_districts.DISTRICTS_BY_CODE

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
    """Bordering districts, as staff recorded them (retired ones left out)."""
    seen = set(codes)
    current = shared_districts.DISTRICT_CODES
    bordering = neighbours()
    result = []
    for code in codes:
        for neighbour in bordering.get(code, ()):
            if neighbour not in seen and neighbour in current:
                seen.add(neighbour)
                result.append(neighbour)
    return result
