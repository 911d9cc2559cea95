"""The vocabularies as migration 0026 seeded them (the codes and names once written in
app/districts.py and app/spaces/vocab.py). The tests' PostgreSQL database is emptied with
TRUNCATE between tests; ``seed`` puts these rows back, as a fresh migrated database has them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

DISTRICTS = [
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
]
EQUIPMENT = [
    ("projector", "Rzutnik", "Projector", "Проєктор"),
    ("screen", "Ekran", "Screen", "Екран"),
    ("sound", "Nagłośnienie", "Sound system", "Звукова система"),
    ("kitchen", "Aneks kuchenny", "Kitchenette", "Кухонний куточок"),
    ("chairs_tables", "Krzesła i stoły", "Chairs and tables", "Стільці та столи"),
    ("wifi", "Wi-Fi", "Wi-Fi", "Wi-Fi"),
    ("whiteboard", "Tablica", "Whiteboard", "Дошка"),
    ("piano", "Pianino", "Piano", "Піаніно"),
    ("gym", "Sala gimnastyczna", "Gym", "Спортзал"),
]
ACCESSIBILITY = [
    ("step_free", "Wejście bez schodów", "Step-free entrance", "Вхід без сходів"),
    ("lift", "Winda", "Lift", "Ліфт"),
    ("accessible_toilet", "Toaleta dostępna", "Accessible toilet", "Доступний туалет"),
    ("induction_loop", "Pętla indukcyjna", "Induction loop", "Індукційна петля"),
    (
        "accessible_parking",
        "Miejsce parkingowe dla osób z niepełnosprawnościami",
        "Parking for people with disabilities",
        "Паркування для людей з інвалідністю",
    ),
    ("quiet_room", "Pokój wyciszenia", "Quiet room", "Тиха кімната"),
]


def rows() -> list[dict]:
    now = datetime.now(UTC)
    entries = [("district", code, name, "", "") for code, name in DISTRICTS] + [
        (vocabulary, *entry)
        for vocabulary, listed in (("equipment", EQUIPMENT), ("accessibility", ACCESSIBILITY))
        for entry in listed
    ]
    return [
        {"vocabulary": v, "code": c, "name": n, "name_en": en, "name_uk": uk, "position": i,
         "created_at": now, "updated_at": now}
        for i, (v, c, n, en, uk) in enumerate(entries)
    ]  # fmt: skip


def seed(connection) -> None:
    from app.vocabularies.models import Term

    connection.execute(sa.insert(Term), rows())
