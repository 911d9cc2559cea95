"""Issue 16 item 8: equipment lent over several days, picked up one day and returned another,
never over the stock (even when approved at the same moment), with the pieces left shown on a
refusal and in the week grid."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from app.domain import DomainError
from app.extensions import db
from app.spaces import service
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    SpaceKind,
)
from app.timeutil import to_local
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday


@pytest.fixture
def tents(make_space):
    return make_space("Namioty", kind=SpaceKind.EQUIPMENT, stock=50, capacity=None, max_loan_days=7)


def _loan(space, organisation, user, day, days, quantity, start=time(16), end=time(9)):
    return service.create_request(
        space,
        organisation,
        user,
        service.BookingRequest(
            purpose="Obóz",
            people=20,
            first_day=day,
            start_time=start,
            end_time=end,
            quantity=quantity,
            loan_days=days,
        ),
    )


def test_a_loan_over_a_weekend_through_the_form(tents, client, auth, ngo_owner, organisation):
    friday = next_weekday(4)
    auth.login(ngo_owner)
    page = client.get(f"/przestrzenie/sala/{tents.slug}/rezerwuj")
    assert "Dzień zwrotu" in page.text
    response = client.post(
        f"/przestrzenie/sala/{tents.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Biwak",
            "people": "12",
            "quantity": "20",
            "day": friday.isoformat(),
            "return_day": (friday + timedelta(days=3)).isoformat(),
            "start": "16:00",
            "end": "09:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert response.status_code == 303, response.text
    db.session.commit()
    series = db.session.scalar(sa.select(BookingSeries))
    assert series.loan_days == 3
    (booking,) = series.occurrences
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    assert (start.date(), start.time()) == (friday, time(16))
    assert (end.date(), end.time()) == (friday + timedelta(days=3), time(9))
    assert service.format_slot(booking).count(".") >= 4  # both dates shown


def test_return_before_pick_up_is_refused_on_the_form(tents, client, auth, ngo_owner, organisation):
    friday = next_weekday(4)
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/sala/{tents.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Biwak",
            "people": "12",
            "quantity": "2",
            "day": friday.isoformat(),
            "return_day": (friday - timedelta(days=1)).isoformat(),
            "start": "16:00",
            "end": "09:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert "Dzień zwrotu jest przed dniem odbioru." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 0


def test_rules_of_a_loan_over_several_days(tents, make_space, provider, ngo_owner, organisation):
    friday = next_weekday(4)
    request = service.BookingRequest(
        purpose="Obóz",
        people=5,
        first_day=friday,
        start_time=time(16),
        end_time=time(9),
        quantity=5,
        loan_days=10,
    )
    (planned,) = service.plan_request(tents, request)
    assert any("najdłuższe wypożyczenie to 7 dni" in p for p in planned.problems)
    # Returned at 23:00, after closing (the fixture's hours are 8–22).
    request.loan_days, request.end_time = 2, time(23)
    (planned,) = service.plan_request(tents, request)
    assert "Zwrot poza godzinami otwarcia." in planned.problems
    # A closure on the return day refuses; one in between does not (the tents are away).
    request.end_time = time(10)
    db.session.add(
        Closure(
            space=tents,
            starts_on=friday + timedelta(days=1),
            ends_on=friday + timedelta(days=1),
            reason=ClosureReason.OTHER,
        )
    )
    db.session.commit()
    (planned,) = service.plan_request(tents, request)
    assert planned.ok, planned.problems
    db.session.add(
        Closure(
            space=tents,
            starts_on=friday + timedelta(days=2),
            ends_on=friday + timedelta(days=2),
            reason=ClosureReason.RENOVATION,
        )
    )
    db.session.commit()
    (planned,) = service.plan_request(tents, request)
    assert any("remont" in p for p in planned.problems)
    # Rooms, and equipment not lent over several days, stay within one day.
    room = make_space("Sala", capacity=20)
    with pytest.raises(DomainError, match="tylko sprzęt"):
        _loan(room, organisation, ngo_owner, friday, 2, 1)
    chairs = make_space("Krzesła", kind=SpaceKind.EQUIPMENT, stock=10, capacity=None)
    request.loan_days = 1
    (planned,) = service.plan_request(chairs, request)
    assert "Tę przestrzeń można zarezerwować tylko w obrębie jednego dnia." in planned.problems


def test_over_stock_refused_with_the_pieces_left(
    tents, make_organisation, make_user, ngo_owner, organisation, provider_manager
):
    friday = next_weekday(4)
    first = _loan(tents, organisation, ngo_owner, friday, 3, 30)
    service.approve(first.occurrences, provider_manager)
    db.session.commit()
    # Saturday noon to Sunday noon, within the first loan: 20 left.
    other = make_organisation(owner=make_user(name="Druga"))
    request = service.BookingRequest(
        purpose="Festyn",
        people=5,
        first_day=friday + timedelta(days=1),
        start_time=time(12),
        end_time=time(12),
        quantity=25,
        loan_days=1,
    )
    (planned,) = service.plan_request(tents, request)
    assert "W tym czasie dostępnych jest 20 sztuk z 50." in planned.problems
    with pytest.raises(service.BookingConflict, match="20 sztuk z 50"):
        service.create_request(tents, other, None, request)
    request.quantity = 20
    (planned,) = service.plan_request(tents, request)
    assert planned.ok
    # The week grid shows the pieces left on the middle day.
    week = service.week_grid(tents, service.week_start(friday + timedelta(days=1)))
    saturday = next(d for d in week if d.day == friday + timedelta(days=1))
    assert any("20" in i.label for i in saturday.intervals if i.state == "partial"), [
        (i.state, i.label) for i in saturday.intervals
    ]


def test_a_loan_over_the_dst_change_keeps_wall_clock_times(tents, ngo_owner, organisation):
    # The last Sunday of October: clocks go back, the loan lasts one hour longer.
    year = date.today().year + 1
    sunday = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)
    saturday = sunday - timedelta(days=1)
    tents.max_days_ahead = 800
    db.session.commit()
    series = _loan(tents, organisation, ngo_owner, saturday, 2, 5, start=time(10), end=time(10))
    (booking,) = series.occurrences
    assert to_local(booking.ends_at).time() == time(10)
    assert booking.ends_at - booking.starts_at == timedelta(hours=49)


@pytest.mark.race
def test_concurrent_multi_day_approvals_never_exceed_the_stock(
    app, tents, make_booking, make_organisation, make_user, provider_manager, live_server
):
    """50 tents; 12 overlapping loans of 10 tents over several days, approved at once:
    exactly 5 win and at no moment are more than 50 out."""
    monday = next_weekday(0)
    series_ids = []
    for number in range(12):
        organisation = make_organisation(owner=make_user(name=f"Drużyna {number}"))
        series = BookingSeries(
            space=tents,
            organisation=organisation,
            purpose="Obóz",
            people=10,
            quantity=10,
            first_day=monday + timedelta(days=number % 3),
            start_time=time(9),
            end_time=time(18),
            loan_days=3,
        )
        starts_at, ends_at = service.slot_for(series.first_day, time(9), time(18), 3)
        db.session.add(
            Booking.for_slot(
                tents, starts_at, ends_at, BookingStatus.PENDING, series=series, quantity=10
            )
        )
        db.session.commit()
        series_ids.append(series.id)
    manager = Browser(app, provider_manager, base_url=live_server.url)
    results = race(
        [
            lambda sid=sid: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz").status
            for sid in series_ids
        ]
    )
    assert results.count(303) == 5, results
    assert results.count(409) == 7, results
    db.session.commit()  # end the test's read snapshot
    held = db.session.scalars(
        sa.select(Booking).where(
            Booking.space_id == tents.id, Booking.status.in_(SLOT_HOLDING_STATUSES)
        )
    ).all()
    first, last = service.slot_for(monday, time(0), time(23), 7)
    assert service.peak_quantity(held, first, last) == 50
