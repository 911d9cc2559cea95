"""Controlled vocabularies of the spaces domain: districts, features and accessibility.

Districts come from ``app/organisations/districts.py`` (shared by every domain); the
neighbourhood map used by venue matching is ours.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import districts as shared_districts

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

# Equipment of a room (what is there), as feature codes.
EQUIPMENT = {
    "projector": _l("Rzutnik"),
    "screen": _l("Ekran"),
    "sound": _l("Nagłośnienie"),
    "kitchen": _l("Aneks kuchenny"),
    "chairs_tables": _l("Krzesła i stoły"),
    "wifi": _l("Wi-Fi"),
    "whiteboard": _l("Tablica"),
    "piano": _l("Pianino"),
    "gym": _l("Sala gimnastyczna"),
}

ACCESSIBILITY = {
    "step_free": _l("Wejście bez schodów"),
    "lift": _l("Winda"),
    "accessible_toilet": _l("Toaleta dostępna"),
    "induction_loop": _l("Pętla indukcyjna"),
    "accessible_parking": _l("Miejsce parkingowe dla osób z niepełnosprawnościami"),
    "quiet_room": _l("Pokój wyciszenia"),
}


def district_label(code: str | None) -> str:
    return DISTRICTS.get(code or "", code or "")


def feature_label(code: str) -> str:
    return str(EQUIPMENT.get(code) or ACCESSIBILITY.get(code) or code)


def nearby_districts(codes: list[str]) -> list[str]:
    seen = set(codes)
    result = []
    for code in codes:
        for neighbour in NEIGHBOURS.get(code, ()):
            if neighbour not in seen:
                seen.add(neighbour)
                result.append(neighbour)
    return result
