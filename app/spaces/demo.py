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
from app.spaces.demo_data import (
    COMBINED_SPACES,
    DEMO_EQUIPMENT,
    DEMO_PROVIDERS,
    DEMO_SPACES,
    EQUIPMENT_FIELDS,
    HOLIDAYS,
    NGO_PROVIDERS,
    WEEKDAYS,
)
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    OpeningHours,
    Provider,
    ProviderKind,
    ProviderManager,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
)
from app.spaces.rounds import demo as rounds_demo
from app.spaces.search_index import reindex_spaces
from app.spaces.service import rule_problems, slot_for, term_of
from app.timeutil import local_today


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
    _combine(spaces)
    _load_bookings(spaces, users, organisations)
    db.session.flush()
    from app.spaces import demo_details

    demo_details.load(spaces, users, organisations)
    rounds_demo.load(spaces, users, organisations)
    from app.spaces import demo_operations

    demo_operations.load(spaces, users, organisations)
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


def _combine(spaces: dict[str, Space]) -> None:
    """The divisible hall: its parts, before any booking is written (the occupancy triggers
    read them)."""
    from app.spaces.models import SpacePart
    from app.spaces.service.combined import parts_of

    for whole, parts in COMBINED_SPACES.items():
        if not parts_of(spaces[whole]):
            for part in parts:
                db.session.add(SpacePart(whole_id=spaces[whole].id, part_id=spaces[part].id))
    db.session.flush()


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
    loan_days=0,
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
        loan_days=loan_days,
        confirmed_term=term_of(day),
    )
    step = timedelta(weeks=2 if recurrence == Recurrence.BIWEEKLY else 1)
    for index, status in enumerate(statuses):
        starts_at, ends_at = slot_for(day + index * step, start, end, loan_days)
        # The demo obeys its own rules: a date in a closure (or outside the hours) is kept
        # as skipped with the reason, as a real request would keep it.
        problems = rule_problems(space, starts_at, ends_at, check_notice=False)
        if problems and status in (BookingStatus.APPROVED, BookingStatus.PENDING):
            status = BookingStatus.SKIPPED
        else:
            problems = []
        booking = Booking.for_slot(
            space,
            starts_at,
            ends_at,
            status,
            series=series,
            quantity=quantity,
            reason=" ".join(problems),
        )
        booking.sequence = 0 if status == BookingStatus.PENDING else 1
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
    # The divisible hall: the whole for a fair, a part on an evening; the other part stays free.
    _series(
        spaces["cal-duza-sala-ab"],
        young,
        None,
        "Targi organizacji młodzieżowych",
        _next(5, 2),
        time(10),
        time(16),
        [approved],
        people=80,
        title="Targi „Młodzi działają”",
    )
    _series(
        spaces["cal-duza-sala-a"],
        senior,
        owner,
        "Zajęcia ruchowe dla seniorów",
        _next(1),
        time(17),
        time(19),
        [approved] * 4,
        recurrence=Recurrence.WEEKLY,
        people=25,
    )
    # A stage lent over a weekend: picked up on Friday, returned on Monday morning.
    _series(
        spaces["tak-scena"],
        neighbours,
        owner2,
        "Festyn sąsiedzki – scena na weekend",
        _next(4, 2),
        time(14),
        time(10),
        [pending],
        quantity=6,
        people=200,
        loan_days=3,
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
