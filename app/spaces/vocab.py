"""Controlled vocabularies of the spaces domain: districts, features and accessibility.

The districts list is kept here until the organisations domain ships its shared
``app/organisations/districts.py``; then ``DISTRICTS`` and ``district_label`` can simply be
re-exported from there (codes are the same slugs).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Toruń's districts (osiedla): slug -> Polish name (proper names, not translated).
DISTRICTS: dict[str, str] = {
    "stare-miasto": "Stare Miasto",
    "bydgoskie-przedmiescie": "Bydgoskie Przedmieście",
    "chelminskie-przedmiescie": "Chełmińskie Przedmieście",
    "jakubskie-przedmiescie": "Jakubskie Przedmieście",
    "mokre": "Mokre",
    "rubinkowo": "Rubinkowo",
    "na-skarpie": "Na Skarpie",
    "bielany": "Bielany",
    "wrzosy": "Wrzosy",
    "koniuchy": "Koniuchy",
    "podgorz": "Podgórz",
    "stawki": "Stawki",
    "rudak": "Rudak",
    "glinki": "Glinki",
    "kaszczorek": "Kaszczorek",
    "czerniewice": "Czerniewice",
    "katarzynka": "Katarzynka",
    "winnica": "Winnica",
    "grebocin-nad-struga": "Grębocin nad Strugą",
    "piaski": "Piaski",
    "brzezina": "Brzezina",
}

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
