"""Demo space providers, spaces and bookings: real public places of Toruń, fictional people.

Idempotent: providers and spaces are looked up by slug; demo bookings are added only while the
demo spaces have none. Bookings are placed relative to today so the demo always shows upcoming,
pending and past ones.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    ClosureReason,
    OpeningHours,
    Provider,
    ProviderKind,
    ProviderManager,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)
from app.spaces.search_index import reindex_spaces
from app.spaces.service import slot_for, term_of
from app.timeutil import local_today

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
]

EQUIPMENT_FIELDS = {
    "district": "stare-miasto",
    "terms": TermsKind.FEE,
    "min_notice_hours": 72,
    "max_length_minutes": 720,
    "capacity": None,
}
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
    (date(2027, 1, 18), date(2027, 1, 31), ClosureReason.SCHOOL_HOLIDAY, "ferie zimowe", True),
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


def load(users: dict, organisations: dict) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for slug, name, kind, manager in DEMO_PROVIDERS:
        provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
        if provider is None:
            # CAL approves verified NGOs at once; schools decide themselves.
            provider = Provider(
                slug=slug, name=name, kind=kind, auto_approve_verified=slug == "cal-2-pietro"
            )
            if slug in NGO_PROVIDERS:
                provider.organisation = organisations[NGO_PROVIDERS[slug]]
            provider.managers.append(ProviderManager(user=users[manager]))
            db.session.add(provider)
            for first, last, reason, note, schools_only in HOLIDAYS:
                if kind == ProviderKind.SCHOOL or not schools_only:
                    provider.closures.append(
                        Closure(starts_on=first, ends_on=last, reason=reason, note=note)
                    )
        providers[slug] = provider
    db.session.flush()
    spaces = _load_spaces(providers)
    _load_bookings(spaces, users, organisations)
    db.session.flush()
    # New spaces are indexed on flush; spaces of an older demo database are indexed here.
    reindex_spaces()
    return providers


def _load_spaces(providers) -> dict[str, Space]:
    spaces: dict[str, Space] = {}
    rows = list(DEMO_SPACES)
    for slug, name, stock, fee, ngo_fee in DEMO_EQUIPMENT:
        rows.append(
            (
                slug,
                "torunska-agenda-kulturalna",
                name,
                SpaceKind.EQUIPMENT,
                {
                    **EQUIPMENT_FIELDS,
                    "stock": stock,
                    "fee_normal": fee,
                    "fee_ngo": ngo_fee,
                    "description": "Cena za sztukę i dzień; odbiór własny z magazynu TAK.",
                },
                [],
                [((*WEEKDAYS, 5), time(8), time(20))],
            )
        )
    for slug, provider_slug, name, kind, fields, features, hours in rows:
        space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
        if space is None:
            space = Space(
                slug=slug, provider=providers[provider_slug], name=name, kind=kind, **fields
            )
            space.address = "Toruń"
            for code in features:
                space.features.append(SpaceFeature(code=code))
            for weekdays, opens, closes in hours:
                for weekday in weekdays:
                    space.opening_hours.append(
                        OpeningHours(weekday=weekday, opens=opens, closes=closes)
                    )
            db.session.add(space)
        spaces[slug] = space
    db.session.flush()
    return spaces


def _next(weekday: int, weeks: int = 1) -> date:
    day = local_today() + timedelta(weeks=weeks)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _series(
    space,
    organisation,
    user,
    purpose,
    day,
    start,
    end,
    statuses,
    *,
    people=10,
    recurrence=Recurrence.ONCE,
    quantity=1,
    title="",
) -> BookingSeries:
    series = BookingSeries(
        space=space,
        organisation=organisation,
        requested_by=user,
        purpose=purpose,
        people=people,
        quantity=quantity,
        is_public=bool(title),
        public_title=title,
        recurrence=recurrence,
        first_day=day,
        count=len(statuses) if recurrence != Recurrence.ONCE else None,
        start_time=start,
        end_time=end,
        confirmed_term=term_of(day),
    )
    step = timedelta(weeks=2 if recurrence == Recurrence.BIWEEKLY else 1)
    for index, status in enumerate(statuses):
        starts_at, ends_at = slot_for(day + index * step, start, end)
        booking = Booking(
            series=series,
            space=space,
            exclusive=space.kind == SpaceKind.ROOM,
            quantity=quantity,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_until=ends_at + timedelta(minutes=space.buffer_minutes),
            status=status,
            sequence=0 if status == BookingStatus.PENDING else 1,
        )
        booking.history.append(BookingStatusChange(to_status=BookingStatus.PENDING, actor=user))
        if status != BookingStatus.PENDING:
            booking.history.append(
                BookingStatusChange(from_status=BookingStatus.PENDING, to_status=status)
            )
        series.occurrences.append(booking)
    db.session.add(series)
    return series


def _load_bookings(spaces, users, organisations) -> None:
    demo_ids = [s.id for s in spaces.values()]
    if db.session.scalar(
        sa.select(BookingSeries.id).where(BookingSeries.space_id.in_(demo_ids)).limit(1)
    ):
        return
    senior = organisations["fundacja-razem-dla-seniora"]
    neighbours = organisations["stowarzyszenie-rubinkowo-sasiedzi"]
    young = organisations["fundacja-mlodzi-na-skarpie"]
    owner, owner2 = users["ngo_owner"], users["ngo_owner2"]
    approved, pending = BookingStatus.APPROVED, BookingStatus.PENDING
    _series(
        spaces["cal-sala-warsztatowa"],
        senior,
        owner,
        "Cotygodniowe warsztaty pamięci dla seniorów",
        _next(2),
        time(10),
        time(12),
        [approved] * 8,
        recurrence=Recurrence.WEEKLY,
        people=18,
        title="Warsztaty pamięci dla seniorów",
    )
    _series(
        spaces["cal-sala-konferencyjna"],
        neighbours,
        owner2,
        "Walne zebranie członków",
        _next(5, 2),
        time(11),
        time(14),
        [approved],
        people=35,
    )
    _series(
        spaces["cal-pokoj-spotkan"],
        senior,
        owner,
        "Dyżur prawnika dla seniorów",
        _next(0),
        time(16),
        time(18),
        [approved, approved, pending, pending],
        recurrence=Recurrence.BIWEEKLY,
        people=4,
    )
    _series(
        spaces["sp7-sala-gimnastyczna"],
        neighbours,
        owner2,
        "Zajęcia sportowe dla dzieci z osiedla",
        _next(1),
        time(17),
        time(19),
        [pending] * 6,
        recurrence=Recurrence.WEEKLY,
        people=25,
    )
    _series(
        spaces["sp7-sala-12"],
        senior,
        owner,
        "Kurs obsługi smartfona dla seniorów",
        _next(3, -3),
        time(16),
        time(18),
        [approved] * 6,
        recurrence=Recurrence.WEEKLY,
        people=15,
    )
    # Two organisations asking for the same evening: the provider sees the competition.
    _series(
        spaces["zgm-lokal-rubinkowo"],
        neighbours,
        owner2,
        "Klub sąsiedzki – planszówki",
        _next(4),
        time(18),
        time(21),
        [pending],
        people=20,
        title="Wieczór planszówek",
    )
    _series(
        spaces["zgm-lokal-rubinkowo"],
        senior,
        owner,
        "Spotkanie wolontariuszy",
        _next(4),
        time(17),
        time(19),
        [pending],
        people=12,
    )
    _series(
        spaces["zgm-lokal-na-skarpie"],
        young,
        None,
        "Próby zespołu młodzieżowego",
        _next(2),
        time(18),
        time(20),
        [approved] * 4,
        recurrence=Recurrence.WEEKLY,
        people=8,
    )
    _series(
        spaces["sp15-aula"],
        young,
        None,
        "Koncert charytatywny",
        _next(5, 3),
        time(12),
        time(15),
        [pending],
        people=100,
        title="Koncert „Młodzi dla Skarpy”",
    )
    _series(
        spaces["tak-krzesla"],
        neighbours,
        owner2,
        "Festyn sąsiedzki na Rubinkowie",
        _next(5, 2),
        time(9),
        time(19),
        [approved],
        quantity=80,
        people=200,
        title="Festyn sąsiedzki",
    )
    _series(
        spaces["tak-naglosnienie"],
        neighbours,
        owner2,
        "Festyn sąsiedzki – nagłośnienie",
        _next(5, 2),
        time(9),
        time(19),
        [pending],
        quantity=1,
        people=200,
    )
    sp7 = spaces["sp7-sala-12"].provider
    db.session.add(
        BarterDelivery(
            provider_id=sp7.id,
            organisation_id=senior.id,
            delivered_on=local_today() - timedelta(days=7),
            hours=Decimal("2"),
            description="Warsztaty „Bezpieczny internet” dla klas 6",
        )
    )
