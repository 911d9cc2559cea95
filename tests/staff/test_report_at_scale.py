"""The programme report's aggregate SQL gives exactly the figures of the row-by-row computation
it replaced (tests/staff/reference_report.py), on generated data full of the cases the rules
name: month and DST boundaries in Warsaw time, closures of a room and of a whole provider, rooms
without opening hours, inactive rooms, own-use bookings, cancellations exactly a day ahead,
reasons differing only by spaces, guests whose addresses differ only by case, anonymised
sign-ups, answer times in microseconds, organisations sharing a name. And it answers in a
bounded number of statements, whatever the size."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    ClosureReason,
    OpeningHours,
    Space,
    SpaceKind,
    TermsKind,
)
from app.staff.service.report import Period, programme_report
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
)
from tests.helpers import count_statements
from tests.staff import reference_report
from tests.staff.conftest import at, utc

NOW = utc(2025, 4, 20, 12)
PERIODS = [
    Period(date(2025, 3, 1), date(2025, 3, 31)),
    Period.year(2025),
    Period(date(2025, 2, 15), date(2025, 4, 10)),  # mid-month, across the change to summer time
    Period(date(2025, 3, 30), date(2025, 3, 30)),  # the 23-hour day
    Period(date(2020, 1, 1), date(2020, 12, 31)),  # nothing
]
DISTRICTS = ["rubinkowo", "mokre", "stare-miasto", None, "nieznane"]
SPHERES = ["social_assistance", "culture", "sport", "ecology"]
REASONS = ["", "  ", "Sala zajęta", " Sala zajęta ", "Sala zajęta\n", "Remont"]
GUESTS = ["anna@example.org", "ANNA@example.org", "straße@example.org", "strasse@example.org",
          "piotr@example.org", ""]  # fmt: skip


def build(rng: random.Random, make_organisation, make_provider, make_user, size: int) -> None:
    organisations = [make_organisation(f"Fundacja {n}") for n in range(size)]
    organisations += [make_organisation("Fundacja Wspólna") for _ in range(2)]  # one name, two
    users = [make_user(name=f"U{n}") for n in range(size + 4)]
    providers = [make_provider() for _ in range(3)]
    spaces = []
    for n in range(2 * size):
        kind = SpaceKind.EQUIPMENT if n % 5 == 4 else SpaceKind.ROOM
        terms = (TermsKind.FREE, TermsKind.FEE, TermsKind.BARTER)[n % 3]
        space = Space(provider=providers[n % 3], slug=f"s-{size}-{n}", name=f"Sala {n % 4}-{n}",
                      kind=kind, district=DISTRICTS[n % len(DISTRICTS)], terms=terms,
                      barter_hours_per_hour=rng.choice([None, Decimal("0"), Decimal("0.5"),
                                                        Decimal("1.25")]),
                      stock=50, capacity=20, address="ul. Testowa 1", active=n % 7 != 6,
                      buffer_minutes=rng.choice([0, 15, 30]))  # fmt: skip
        if n % 6:  # every sixth has no hours: open all day
            for weekday in rng.sample(range(7), rng.randint(1, 7)):
                opens = rng.choice([7, 8, 16])
                space.opening_hours.append(OpeningHours(weekday=weekday, opens=time(opens),
                                                        closes=time(opens + rng.randint(1, 6))))  # fmt: skip
        spaces.append(space)
    db.session.add_all(spaces)
    db.session.add_all([
        Closure(provider=providers[0], starts_on=date(2025, 3, 24), ends_on=date(2025, 3, 26),
                reason=ClosureReason.OTHER),
        Closure(space=spaces[1], starts_on=date(2025, 2, 20), ends_on=date(2025, 3, 3),
                reason=ClosureReason.RENOVATION),
        Closure(space=spaces[1], starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 5),
                reason=ClosureReason.OTHER),  # overlapping the other one
        Closure(provider=providers[2], starts_on=date(2024, 12, 20), ends_on=date(2025, 1, 6),
                reason=ClosureReason.SCHOOL_HOLIDAY),
    ])  # fmt: skip
    statuses = [BookingStatus.APPROVED] * 5 + list(BookingStatus)
    for space in spaces[:-1]:  # the last one is never booked
        moment = at(10, 7, month=2) + timedelta(minutes=rng.randint(0, 90))
        for _ in range(size):
            length = timedelta(minutes=rng.choice([30, 60, 90, 120, 135, 240]))
            organisation = rng.choice([None, *organisations])
            series = BookingSeries(space=space, organisation=organisation,
                                   own_use=organisation is None, purpose="Zajęcia",
                                   people=rng.randint(1, 40), first_day=moment.date(),
                                   start_time=time(8), end_time=time(10))  # fmt: skip
            status = rng.choice(statuses)
            booking = Booking.for_slot(space, moment, moment + length, status, series=series,
                                       reason=rng.choice(REASONS))  # fmt: skip
            if status == BookingStatus.CANCELLED:
                for ahead in rng.sample([timedelta(hours=24), timedelta(hours=24, microseconds=-1),
                                         timedelta(hours=23), timedelta(days=3),
                                         timedelta(hours=-1)], rng.randint(1, 2)):  # fmt: skip
                    booking.history.append(BookingStatusChange(to_status=status,
                                                               at=moment - ahead))  # fmt: skip
            db.session.add(booking)
            moment += length + timedelta(hours=rng.choice([1, 5, 20, 30]))
    db.session.add_all(
        BarterDelivery(provider_id=providers[n % 3].id, organisation_id=organisations[0].id,
                       delivered_on=date(2025, 3, 1) + timedelta(days=5 * n),
                       hours=Decimal("1.25") * (n + 1), description="Warsztaty",
                       withdrawn_at=NOW if n % 4 == 3 else None)
        for n in range(6)
    )  # fmt: skip

    # Shifts around the boundaries: the last evening of a month in Warsaw is already the next
    # month's in UTC and the other way round; summer time begins on 30 March 2025.
    starts = [at(28, 23, month=2, minute=30), at(1, 0, month=3, minute=30), at(29, 23),
              at(30, 1, minute=30), at(30, 3), at(31, 23, minute=30), at(1, 0, month=4, minute=15)]  # fmt: skip
    starts += [at(rng.randint(1, 28), rng.randint(6, 22), month=rng.randint(1, 5))
               for _ in range(size)]  # fmt: skip
    opportunities = []
    for n, organisation in enumerate(organisations):
        opportunities.append(Opportunity(
            organisation=organisation, title=f"Oferta {n}", sphere=SPHERES[n % len(SPHERES)],
            kind=OpportunityKind.REGULAR, status=OpportunityStatus.PUBLISHED,
            district=DISTRICTS[n % len(DISTRICTS)], is_online=n % 4 == 3,
            published_at=at(rng.randint(1, 28), 9, month=rng.randint(1, 5)),
        ))  # fmt: skip
    db.session.add_all(opportunities)
    for n, starts_at in enumerate(starts):
        shift = Shift(opportunity=opportunities[n % len(opportunities)], starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=2), capacity=50, taken=0)  # fmt: skip
        db.session.add(shift)
        people = rng.sample(users, rng.randint(0, 6))
        people += rng.sample(GUESTS, rng.randint(0, 3)) + [None] * rng.randint(0, 2)
        for who in people:
            created = starts_at - timedelta(
                days=rng.randint(1, 20), microseconds=rng.randint(0, 10**6)
            )
            pending = rng.choice([None, created])
            answered = None
            if pending is not None and rng.random() < 0.7:
                answered = pending + timedelta(seconds=rng.randint(60, 200_000),
                                               microseconds=rng.randint(0, 999_999))  # fmt: skip
            status = rng.choice(list(SignupStatus))
            signup = Signup(shift=shift, status=status, created_at=created, pending_since=pending,
                            responded_at=answered,
                            user=who if not isinstance(who, str) and who is not None else None,
                            guest_name="Gość" if isinstance(who, str) else None,
                            guest_email=who if isinstance(who, str) else None,
                            guardian_consent_at=created if rng.random() < 0.3 else None)  # fmt: skip
            if rng.random() < 0.6:
                signup.hours = rng.choice([Decimal("0"), Decimal("1.5"), Decimal("2"),
                                           Decimal("0.25"), Decimal("3.33")])  # fmt: skip
                signup.hours_confirmed_at = shift.ends_at if rng.random() < 0.8 else None
            if status == SignupStatus.ACCEPTED:
                signup.events.append(SignupEvent(to_status=status, at=answered or created))
            db.session.add(signup)
    db.session.commit()


@pytest.fixture
def generated(make_organisation, make_provider, make_user):
    build(random.Random(14), make_organisation, make_provider, make_user, size=12)


def test_aggregate_sql_gives_the_row_by_row_figures(generated):
    assert db.session.query(Booking).count() > 100  # the data set is not empty
    for period in PERIODS:
        report = programme_report(period, now=NOW)
        assert report.spaces == reference_report.spaces_report(period), period
        assert report.volunteering == reference_report.volunteering_report(period, now=NOW), period
    year = programme_report(Period.year(2025), now=NOW)
    assert year.spaces.late_cancellations > 0 and year.spaces.barter_owed > 0
    assert year.volunteering.volunteers > 0 and year.volunteering.responses_counted > 0
    assert any(
        r.organisation == "Fundacja Wspólna" for r in year.volunteering.responses_by_organisation
    )


def statements_for(period: Period) -> int:
    db.session.expire_all()
    with count_statements() as statements:
        programme_report(period, now=NOW)
    return len(statements)


def test_the_report_sends_the_same_statements_whatever_the_size(
    make_organisation, make_provider, make_user
):
    build(random.Random(1), make_organisation, make_provider, make_user, size=3)
    small = statements_for(Period.year(2025))
    build(random.Random(2), make_organisation, make_provider, make_user, size=15)
    assert statements_for(Period.year(2025)) == small
    assert db.session.query(Organisation).count() > 20


def test_elapsed_micros_is_exact_to_the_microsecond(app):
    """The SQL the report sums and compares durations with, against Python, on values that
    trip SQLite's millisecond parsing (a fraction that rounds up into the next second)."""
    import sqlalchemy as sa

    from app.db import UTCDateTime, elapsed_micros

    pairs = [
        (utc(2025, 3, 30, 0, 59, 59, 999_999), utc(2025, 3, 30, 1, 0, 0)),
        (utc(2025, 1, 1, 0, 0, 0, 500), utc(2025, 1, 1, 0, 0, 0, 1_499)),
        (utc(2024, 12, 31, 23, 59, 59, 999_500), utc(2025, 1, 1, 0, 0, 0, 499)),
        (utc(2025, 6, 1, 12, 0, 0, 123_456), utc(2025, 5, 1, 12, 0, 0, 654_321)),
        (utc(2000, 1, 1), utc(2040, 1, 1, 0, 0, 0, 1)),
    ]
    for start, end in pairs:
        value = elapsed_micros(sa.literal(start, UTCDateTime()), sa.literal(end, UTCDateTime()))
        assert db.session.scalar(sa.select(value)) == (end - start) // timedelta(microseconds=1)
