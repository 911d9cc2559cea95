"""The demo's data: real public places of Toruń (providers, rooms, equipment, school holidays),
loaded by ``app.spaces.demo``."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from app.spaces.models import ClosureReason, ProviderKind, SpaceKind, TermsKind

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
    (
        "szkola-podstawowa-nr-24",
        "Szkoła Podstawowa nr 24 w Toruniu",
        ProviderKind.SCHOOL,
        "school_manager",
    ),
    (
        "szkola-podstawowa-nr-15",
        "Szkoła Podstawowa nr 15 w Toruniu",
        ProviderKind.SCHOOL,
        "school_manager",
    ),
    # An NGO sharing its own premises and equipment (seed 004 item 57).
    (
        "stowarzyszenie-rubinkowo-sasiedzi-lokal",
        "Stowarzyszenie Rubinkowo Sąsiedzi – klubokawiarnia",
        ProviderKind.NGO,
        "ngo_owner2",
    ),
]
NGO_PROVIDERS = {"stowarzyszenie-rubinkowo-sasiedzi-lokal": "stowarzyszenie-rubinkowo-sasiedzi"}

WEEKDAYS = range(5)
WEEKEND = (5, 6)
SCHOOL_BARTER = (
    "Za każdą godzinę w sali – godzina bezpłatnych zajęć dla uczniów szkoły "
    "(np. warsztaty, koło zainteresowań)."
)

# slug, provider, name, kind, fields, features, hours [(weekdays, opens, closes)]
DEMO_SPACES = [
    (
        "cal-sala-warsztatowa",
        "cal-2-pietro",
        "CAL 2.Piętro – sala warsztatowa",
        SpaceKind.ROOM,
        {
            "capacity": 30,
            "area_m2": 60,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Jasna sala na warsztaty i spotkania, z aneksem kuchennym.",
            "house_rules": "Po spotkaniu ustaw krzesła i wyłącz rzutnik.",
            "buffer_minutes": 15,
            "max_length_minutes": 300,
        },
        [
            "projector",
            "screen",
            "wifi",
            "chairs_tables",
            "kitchen",
            "step_free",
            "lift",
            "accessible_toilet",
        ],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18)), ((6,), time(10), time(16))],
    ),
    (
        "cal-sala-konferencyjna",
        "cal-2-pietro",
        "CAL 2.Piętro – sala konferencyjna",
        SpaceKind.ROOM,
        {
            "capacity": 50,
            "area_m2": 90,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Sala na konferencje, szkolenia i zebrania członków.",
            "buffer_minutes": 30,
            "max_length_minutes": 480,
        },
        [
            "projector",
            "screen",
            "sound",
            "wifi",
            "chairs_tables",
            "induction_loop",
            "step_free",
            "lift",
            "accessible_toilet",
        ],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18)), ((6,), time(10), time(16))],
    ),
    (
        "cal-pokoj-spotkan",
        "cal-2-pietro",
        "CAL 2.Piętro – pokój spotkań",
        SpaceKind.ROOM,
        {
            "capacity": 12,
            "area_m2": 20,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Mały pokój na zebrania zarządu i dyżury.",
            "min_notice_hours": 4,
        },
        ["wifi", "whiteboard", "quiet_room", "step_free", "lift"],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18))],
    ),
    (
        "sp7-sala-gimnastyczna",
        "szkola-podstawowa-nr-7",
        "SP 7 – sala gimnastyczna",
        SpaceKind.ROOM,
        {
            "capacity": 60,
            "area_m2": 300,
            "district": "bydgoskie-przedmiescie",
            "terms": TermsKind.BARTER,
            "barter_terms": SCHOOL_BARTER,
            "barter_hours_per_hour": Decimal("1"),
            "min_notice_hours": 72,
            "house_rules": "Obuwie sportowe. Wejście od boiska.",
        },
        ["gym", "sound", "step_free", "accessible_toilet"],
        [(WEEKDAYS, time(16), time(21)), ((5,), time(9), time(14))],
    ),
    (
        "sp7-sala-12",
        "szkola-podstawowa-nr-7",
        "SP 7 – sala 12 (z rzutnikiem)",
        SpaceKind.ROOM,
        {
            "capacity": 28,
            "area_m2": 55,
            "floor": "1",
            "district": "bydgoskie-przedmiescie",
            "terms": TermsKind.BARTER,
            "barter_terms": SCHOOL_BARTER,
            "barter_hours_per_hour": Decimal("1"),
            "min_notice_hours": 72,
        },
        ["projector", "whiteboard", "chairs_tables", "wifi"],
        [(WEEKDAYS, time(15, 30), time(20))],
    ),
    (
        "sp24-swietlica",
        "szkola-podstawowa-nr-24",
        "SP 24 – świetlica",
        SpaceKind.ROOM,
        {
            "capacity": 40,
            "area_m2": 80,
            "district": "rubinkowo",
            "terms": TermsKind.BARTER,
            "barter_terms": SCHOOL_BARTER,
            "barter_hours_per_hour": Decimal("0.5"),
        },
        [
            "chairs_tables",
            "piano",
            "kitchen",
            "step_free",
            "accessible_toilet",
            "accessible_parking",
        ],
        [(WEEKDAYS, time(16), time(20)), ((5,), time(9), time(15))],
    ),
    (
        "sp15-aula",
        "szkola-podstawowa-nr-15",
        "SP 15 – aula",
        SpaceKind.ROOM,
        {
            "capacity": 120,
            "area_m2": 200,
            "district": "na-skarpie",
            "terms": TermsKind.BARTER,
            "barter_terms": SCHOOL_BARTER,
            "barter_hours_per_hour": Decimal("1"),
        },
        ["projector", "screen", "sound", "chairs_tables", "step_free", "induction_loop"],
        [(WEEKDAYS, time(16), time(21)), ((5,), time(10), time(16))],
    ),
    (
        "zgm-lokal-rubinkowo",
        "zgm-lokale",
        "Lokal ZGM – Rubinkowo",
        SpaceKind.ROOM,
        {
            "capacity": 25,
            "area_m2": 45,
            "floor": "parter",
            "district": "rubinkowo",
            "description": "Lokal użytkowy na parterze bloku, do wspólnego użytku organizacji.",
            "buffer_minutes": 15,
        },
        ["chairs_tables", "kitchen", "wifi", "step_free", "accessible_toilet"],
        [(range(7), time(8), time(22))],
    ),
    (
        "zgm-lokal-na-skarpie",
        "zgm-lokale",
        "Lokal ZGM – Na Skarpie",
        SpaceKind.ROOM,
        {
            "capacity": 20,
            "area_m2": 38,
            "floor": "parter",
            "district": "na-skarpie",
            "description": "Lokal na klub sąsiedzki, zajęcia dla dzieci i seniorów.",
        },
        ["chairs_tables", "wifi", "step_free", "quiet_room"],
        [(range(7), time(8), time(22))],
    ),
    # The large hall divides into A and B (a mobile wall): three rooms, "A+B" made of the two
    # (``COMBINED_SPACES``); booking the whole blocks both parts, booking a part the whole.
    (
        "cal-duza-sala-a",
        "cal-2-pietro",
        "CAL 2.Piętro – duża sala, część A",
        SpaceKind.ROOM,
        {
            "capacity": 40,
            "area_m2": 70,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Połowa dużej sali (od okien), oddzielana ścianą mobilną.",
            "buffer_minutes": 15,
            "max_length_minutes": 480,
        },
        ["chairs_tables", "wifi", "step_free", "lift", "accessible_toilet"],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18))],
    ),
    (
        "cal-duza-sala-b",
        "cal-2-pietro",
        "CAL 2.Piętro – duża sala, część B",
        SpaceKind.ROOM,
        {
            "capacity": 40,
            "area_m2": 70,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Połowa dużej sali (od korytarza), z wyjściem na zaplecze.",
            "buffer_minutes": 15,
            "max_length_minutes": 480,
        },
        ["chairs_tables", "wifi", "step_free", "lift", "accessible_toilet"],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18))],
    ),
    (
        "cal-duza-sala-ab",
        "cal-2-pietro",
        "CAL 2.Piętro – duża sala A+B (cała)",
        SpaceKind.ROOM,
        {
            "capacity": 90,
            "area_m2": 140,
            "floor": "2",
            "district": "stare-miasto",
            "description": "Cała duża sala po złożeniu ściany mobilnej: koncerty, zebrania, targi.",
            "buffer_minutes": 15,
            "max_length_minutes": 480,
        },
        [
            "chairs_tables",
            "sound",
            "projector",
            "screen",
            "wifi",
            "step_free",
            "lift",
            "accessible_toilet",
        ],
        [(WEEKDAYS, time(9), time(21)), ((5,), time(10), time(18))],
    ),
]

# The NGO's own premises (seed 004 item 57): its club room, lent free to other organisations.
DEMO_SPACES.append(
    (
        "sasiedzi-sala-klubowa",
        "stowarzyszenie-rubinkowo-sasiedzi-lokal",
        "Klubokawiarnia Sąsiedzi – sala klubowa",
        SpaceKind.ROOM,
        {
            "capacity": 20,
            "area_m2": 40,
            "floor": "parter",
            "district": "rubinkowo",
            "description": "Sala klubowa stowarzyszenia, udostępniana innym organizacjom "
            "bezpłatnie na spotkania i warsztaty.",
            "house_rules": "Po spotkaniu umyj naczynia i zostaw salę tak, jak ją zastałeś.",
        },
        ["chairs_tables", "kitchen", "wifi"],
        [(range(7), time(10), time(21))],
    )
)

# A fee room (rates per hour here, per half day and day in app/spaces/demo_details.py).
DEMO_SPACES.append(
    (
        "zgm-sala-szkoleniowa",
        "zgm-lokale",
        "Lokal ZGM – sala szkoleniowa (płatna)",
        SpaceKind.ROOM,
        {
            "capacity": 30,
            "area_m2": 55,
            "floor": "parter",
            "district": "bydgoskie-przedmiescie",
            "description": "Sala szkoleniowa do wynajęcia; organizacje płacą obniżoną stawkę.",
            "terms": TermsKind.FEE,
            "fee_normal": Decimal("60"),
            "fee_ngo": Decimal("20"),
            "max_length_minutes": 600,
        },
        ["projector", "screen", "chairs_tables", "wifi", "step_free"],
        [(range(7), time(8), time(22))],
    )
)

EQUIPMENT_FIELDS = {
    "district": "stare-miasto",
    "terms": TermsKind.FEE,
    "min_notice_hours": 72,
    "max_length_minutes": 720,
    # Lent over several days too: picked up one day, returned up to a week later.
    "max_loan_days": 7,
    "capacity": None,
}

# A combined room and the rooms it is made of (``app.spaces.service.combined``).
COMBINED_SPACES = {"cal-duza-sala-ab": ["cal-duza-sala-a", "cal-duza-sala-b"]}
DEMO_EQUIPMENT = [
    ("tak-krzesla", "Krzesła składane", 200, Decimal("2"), Decimal("0.5")),
    ("tak-stoly", "Stoły cateringowe", 40, Decimal("10"), Decimal("2")),
    ("tak-scena", "Scena mobilna (moduły 2 × 1 m)", 12, Decimal("50"), Decimal("10")),
    ("tak-naglosnienie", "Zestaw nagłośnieniowy", 4, Decimal("120"), Decimal("30")),
    ("tak-rzutniki", "Rzutnik multimedialny z ekranem", 6, Decimal("40"), Decimal("10")),
]

HOLIDAYS = [
    # Schools: Christmas break and winter holidays (ferie), public holidays for everyone.
    (
        date(2026, 12, 22),
        date(2026, 12, 31),
        ClosureReason.SCHOOL_HOLIDAY,
        "przerwa świąteczna",
        True,
    ),
    # Kujawsko-Pomorskie's winter break in 2027 (app/spaces/service/holiday_presets.py).
    (date(2027, 2, 15), date(2027, 2, 28), ClosureReason.SCHOOL_HOLIDAY, "ferie zimowe", True),
    (date(2027, 6, 26), date(2027, 8, 31), ClosureReason.SCHOOL_HOLIDAY, "wakacje", True),
    (
        date(2026, 12, 24),
        date(2026, 12, 26),
        ClosureReason.PUBLIC_HOLIDAY,
        "Boże Narodzenie",
        False,
    ),
    (date(2027, 1, 1), date(2027, 1, 1), ClosureReason.PUBLIC_HOLIDAY, "Nowy Rok", False),
    (date(2027, 1, 6), date(2027, 1, 6), ClosureReason.PUBLIC_HOLIDAY, "Trzech Króli", False),
]
