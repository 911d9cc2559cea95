"""The vocabularies as migration 0026 seeded them (the codes and names once written in
app/districts.py and app/spaces/vocab.py). The tests' PostgreSQL database is emptied with
TRUNCATE between tests; ``seed`` puts these rows back, as a fresh migrated database has them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

# (code, Polish, English, Ukrainian). English keeps the Polish proper name (as the city's
# English pages do), Ukrainian transliterates it in Cyrillic; the names were added by
# migration 0028, which fills them where staff left them empty.
DISTRICTS = [
    ("stare-miasto", "Stare Miasto", "Stare Miasto (Old Town)", "Старе Місто"),
    ("bydgoskie-przedmiescie", "Bydgoskie Przedmieście", "Bydgoskie Przedmieście", "Бидгоське Передмістя"),
    ("chelminskie-przedmiescie", "Chełmińskie Przedmieście", "Chełmińskie Przedmieście", "Хелмінське Передмістя"),
    ("jakubskie-przedmiescie", "Jakubskie Przedmieście", "Jakubskie Przedmieście", "Якубське Передмістя"),
    ("mokre", "Mokre", "Mokre", "Мокре"),
    ("rubinkowo", "Rubinkowo", "Rubinkowo", "Рубінково"),
    ("na-skarpie", "Na Skarpie", "Na Skarpie", "На Скарп'є"),
    ("bielany", "Bielany", "Bielany", "Беляни"),
    ("wrzosy", "Wrzosy", "Wrzosy", "Вжоси"),
    ("koniuchy", "Koniuchy", "Koniuchy", "Конюхи"),
    ("podgorz", "Podgórz", "Podgórz", "Подгуж"),
    ("stawki", "Stawki", "Stawki", "Ставки"),
    ("rudak", "Rudak", "Rudak", "Рудак"),
    ("glinki", "Glinki", "Glinki", "Глінки"),
    ("kaszczorek", "Kaszczorek", "Kaszczorek", "Кащорек"),
    ("czerniewice", "Czerniewice", "Czerniewice", "Черневиці"),
    ("katarzynka", "Katarzynka", "Katarzynka", "Катажинка"),
    ("winnica", "Winnica", "Winnica", "Вінниця"),
    ("grebocin-nad-struga", "Grębocin nad Strugą", "Grębocin nad Strugą", "Грембоцин над Стругою"),
    ("piaski", "Piaski", "Piaski", "Пяски"),
    ("brzezina", "Brzezina", "Brzezina", "Бжезіна"),
]  # fmt: skip
# Which districts border each other (venue matching suggests rooms next door). The relation
# is symmetric: each pair once. Staff change it at /urzad/slowniki (table district_neighbours,
# seeded by migration 0028 from what app/spaces/vocab.py held).
NEIGHBOURS = [
    ("stare-miasto", "bydgoskie-przedmiescie"),
    ("stare-miasto", "chelminskie-przedmiescie"),
    ("stare-miasto", "jakubskie-przedmiescie"),
    ("bydgoskie-przedmiescie", "chelminskie-przedmiescie"),
    ("bydgoskie-przedmiescie", "bielany"),
    ("bydgoskie-przedmiescie", "wrzosy"),
    ("chelminskie-przedmiescie", "mokre"),
    ("chelminskie-przedmiescie", "bielany"),
    ("chelminskie-przedmiescie", "koniuchy"),
    ("jakubskie-przedmiescie", "mokre"),
    ("jakubskie-przedmiescie", "rubinkowo"),
    ("jakubskie-przedmiescie", "kaszczorek"),
    ("mokre", "rubinkowo"),
    ("mokre", "na-skarpie"),
    ("mokre", "koniuchy"),
    ("rubinkowo", "na-skarpie"),
    ("rubinkowo", "winnica"),
    ("na-skarpie", "grebocin-nad-struga"),
    ("na-skarpie", "kaszczorek"),
    ("bielany", "wrzosy"),
    ("bielany", "katarzynka"),
    ("wrzosy", "koniuchy"),
    ("podgorz", "stawki"),
    ("podgorz", "rudak"),
    ("podgorz", "piaski"),
    ("stawki", "rudak"),
    ("stawki", "glinki"),
    ("rudak", "glinki"),
    ("glinki", "czerniewice"),
    ("kaszczorek", "czerniewice"),
    ("katarzynka", "brzezina"),
    ("winnica", "grebocin-nad-struga"),
    ("piaski", "brzezina"),
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
    entries = [
        (vocabulary, *entry)
        for vocabulary, listed in (
            ("district", DISTRICTS),
            ("equipment", EQUIPMENT),
            ("accessibility", ACCESSIBILITY),
        )
        for entry in listed
    ]
    return [
        {"vocabulary": v, "code": c, "name": n, "name_en": en, "name_uk": uk, "position": i,
         "created_at": now, "updated_at": now}
        for i, (v, c, n, en, uk) in enumerate(entries)
    ]  # fmt: skip


def neighbour_rows(ids: dict[str, int]) -> list[dict]:
    """The seeded pairs as rows of district_neighbours (lower id first), for the districts in
    ``ids`` (code -> term id)."""
    return [
        {"low_id": min(ids[a], ids[b]), "high_id": max(ids[a], ids[b])}
        for a, b in NEIGHBOURS
        if a in ids and b in ids
    ]


def seed(connection) -> None:
    from app.vocabularies.models import DistrictNeighbour, Term

    connection.execute(sa.insert(Term), rows())
    ids = dict(
        connection.execute(sa.select(Term.code, Term.id).where(Term.vocabulary == "district")).all()
    )
    connection.execute(sa.insert(DistrictNeighbour), neighbour_rows(ids))
