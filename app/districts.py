"""Toruń's districts (osiedla), shared by organisations, spaces and volunteering.

Codes are stable identifiers stored in the database; names are proper nouns (not translated).

    from app.districts import DISTRICTS, district_name, DISTRICT_CODES
"""

from __future__ import annotations

DISTRICTS: tuple[tuple[str, str], ...] = (
    ("stare-miasto", "Stare Miasto"),
    ("bydgoskie-przedmiescie", "Bydgoskie Przedmieście"),
    ("chelminskie-przedmiescie", "Chełmińskie Przedmieście"),
    ("jakubskie-przedmiescie", "Jakubskie Przedmieście"),
    ("mokre", "Mokre"),
    ("rubinkowo", "Rubinkowo"),
    ("na-skarpie", "Na Skarpie"),
    ("bielany", "Bielany"),
    ("wrzosy", "Wrzosy"),
    ("koniuchy", "Koniuchy"),
    ("podgorz", "Podgórz"),
    ("stawki", "Stawki"),
    ("rudak", "Rudak"),
    ("glinki", "Glinki"),
    ("kaszczorek", "Kaszczorek"),
    ("czerniewice", "Czerniewice"),
    ("katarzynka", "Katarzynka"),
    ("winnica", "Winnica"),
    ("grebocin-nad-struga", "Grębocin nad Strugą"),
    ("piaski", "Piaski"),
    ("brzezina", "Brzezina"),
)

DISTRICTS_BY_CODE: dict[str, str] = dict(DISTRICTS)
DISTRICT_CODES: frozenset[str] = frozenset(DISTRICTS_BY_CODE)


def district_name(code: str) -> str:
    return DISTRICTS_BY_CODE.get(code, code)


def district_choices() -> list[tuple[str, str]]:
    return list(DISTRICTS)
