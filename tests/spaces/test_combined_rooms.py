"""Issue 16 item 7: rooms that combine. A hall divides into A and B; booking A+B blocks both,
booking A blocks A+B. The database holds it (one occupancy row per smallest space under the
no-overlap rule, on PostgreSQL and SQLite alike); availability, the week grid, matching, the
feeds and "nothing fits" read it; concurrent requests for A and A+B never both win."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain import DomainError
from app.extensions import db
from app.spaces import service
from app.spaces.matching import Need, match_venues
from app.spaces.models import Booking, BookingStatus, Recurrence, SpaceKind, SpaceOccupancy
from app.spaces.nothing_fits import why_nothing_fits
from app.spaces.service.combined import occupancy_units, set_parts, sharing_spaces
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday


@pytest.fixture
def hall(make_space):
    """The CAL-like large hall: "Sala A", "Sala B" and "Sala A+B" made of them."""
    a = make_space("Sala A", capacity=40)
    b = make_space("Sala B", capacity=40)
    whole = make_space("Sala A+B", capacity=90)
    set_parts(whole, [a, b])
    db.session.commit()
    return a, b, whole


def _status(booking_id):
    db.session.commit()  # end the test's read snapshot
    return db.session.get(Booking, booking_id).status


def test_a_combined_booking_occupies_each_part(hall, make_booking, organisation):
    a, b, whole = hall
    day = next_weekday(2)
    booking = make_booking(whole, organisation, day, time(17), time(19))
    assert occupancy_units(booking) == sorted([a.id, b.id])
    single = make_booking(a, organisation, day, time(9), time(10))
    assert occupancy_units(single) == [a.id]
    assert sharing_spaces([a.id])[a.id] == {a.id, whole.id}
    assert sharing_spaces([whole.id])[whole.id] == {a.id, b.id, whole.id}
    assert sharing_spaces([b.id])[b.id] == {b.id, whole.id}


def test_database_refuses_a_part_while_the_whole_is_booked_and_the_reverse(
    hall, make_booking, organisation, other_organisation, backend
):
    """Written straight to the database, past every check of the application."""
    a, b, whole = hall
    day = next_weekday(3)
    make_booking(whole, organisation, day, time(17), time(19))
    with pytest.raises(IntegrityError, match=SpaceOccupancy.NO_OVERLAP):
        make_booking(a, other_organisation, day, time(18), time(20))
    db.session.rollback()
    # The reverse: a part first, then the whole.
    other_day = next_weekday(4)
    make_booking(b, organisation, other_day, time(10), time(11))
    with pytest.raises(IntegrityError, match=SpaceOccupancy.NO_OVERLAP):
        make_booking(whole, other_organisation, other_day, time(10, 30), time(12))
    db.session.rollback()
    # A and B side by side are fine; pending requests may overlap anything.
    make_booking(a, other_organisation, other_day, time(10), time(11))
    make_booking(whole, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SpaceOccupancy)) == 4


def test_cancelling_frees_the_parts_and_moving_moves_them(
    hall, make_booking, organisation, other_organisation, provider_manager
):
    a, _b, whole = hall
    day = next_weekday(1)
    booking = make_booking(whole, organisation, day, time(17), time(19))
    service.cancel([booking], provider_manager, "Remont", by_provider=True)
    db.session.commit()
    assert occupancy_units(booking) == []
    # The slot is free for a part now, through the database too.
    make_booking(a, other_organisation, day, time(17), time(19))
    # A move rewrites the occupancy: the whole moved to the morning holds A and B then.
    other = make_booking(whole, organisation, day, time(9), time(10))
    service.move(other, day, time(11), time(12), provider_manager, by_provider=True)
    db.session.commit()
    rows = db.session.scalars(
        sa.select(SpaceOccupancy).where(SpaceOccupancy.booking_id == other.id)
    ).all()
    assert len(rows) == 2 and all(row.starts_at == other.starts_at for row in rows)
    assert service.slot_for(day, time(11), time(12))[0] == other.starts_at


def test_a_request_for_the_whole_skips_a_date_a_part_holds_and_says_why(
    hall, make_booking, organisation, other_organisation, ngo_owner
):
    a, _b, whole = hall
    day = next_weekday(2)
    make_booking(a, other_organisation, day, time(17), time(19))
    request = service.BookingRequest(
        purpose="Koncert",
        people=60,
        first_day=day,
        start_time=time(18),
        end_time=time(20),
        recurrence=Recurrence.WEEKLY,
        count=2,
    )
    planned = service.plan_request(whole, request)
    assert not planned[0].ok and planned[1].ok
    assert any("Sala A" in p for p in planned[0].problems), planned[0].problems
    series = service.create_request(whole, organisation, ngo_owner, request)
    db.session.commit()
    assert [b.status for b in series.occurrences] == [BookingStatus.SKIPPED, BookingStatus.PENDING]


def test_approving_a_part_declines_a_pending_request_for_the_whole(
    hall, make_booking, organisation, other_organisation, provider_manager, outbox
):
    a, _b, whole = hall
    day = next_weekday(3)
    part = make_booking(a, organisation, day, time(17), time(19), status=BookingStatus.PENDING)
    combined = make_booking(
        whole, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING
    )
    assert [c.id for c in service.pending_competitors(part)] == [combined.id]
    service.approve([part], provider_manager)
    db.session.commit()
    assert _status(combined.id) == BookingStatus.DECLINED
    # Approving the whole now is refused, with the part named.
    with pytest.raises(DomainError):
        service.approve([db.session.get(Booking, combined.id)], provider_manager)


def test_week_grid_feeds_matching_and_nothing_fits_know_the_hall(
    hall, make_booking, organisation, client
):
    a, b, whole = hall
    day = next_weekday(4)
    make_booking(whole, organisation, day, time(17), time(19), public_title="Festiwal")
    week = service.week_grid(a, service.week_start(day))
    entry = next(d for d in week if d.day == day)
    busy = [i for i in entry.intervals if i.state == "busy"]
    assert busy and "Sala A+B" in busy[0].label
    # The public feed of a part shows the whole's booking as busy.
    feed = client.get(f"/kalendarze/przestrzen/{a.slug}.ics")
    assert feed.status_code == 200 and feed.text.count("BEGIN:VEVENT") == 1
    # Matching offers neither part at that time (only the hall is booked).
    need = Need(day=day, start=time(18), end=time(19), people=30, districts=["rubinkowo"])
    result = match_venues(need)
    assert not {"Sala A", "Sala B", "Sala A+B"} & {m.space.name for m in result.matches}
    assert not result.matches
    why = " ".join(why_nothing_fits(need).reasons)
    assert "Sala dzieli powierzchnię z: Sala A+B" in why, why
    # A booking of B leaves A free and blocks the whole.
    other_day = next_weekday(5)
    make_booking(b, organisation, other_day, time(17), time(19))
    need = Need(day=other_day, start=time(17), end=time(19), people=30, districts=["rubinkowo"])
    assert {m.space.name for m in match_venues(need).matches} == {"Sala A"}


def test_parts_are_rooms_of_the_provider_and_fixed_while_booked(
    hall, make_space, make_booking, organisation
):
    a, b, whole = hall
    chairs = make_space("Krzesła", kind=SpaceKind.EQUIPMENT, stock=10, capacity=None)
    with pytest.raises(DomainError):
        set_parts(whole, [a, chairs])
    with pytest.raises(DomainError):
        set_parts(a, [whole, b])  # a combination cannot be a part
    make_booking(whole, organisation, next_weekday(1), time(17), time(19))
    with pytest.raises(DomainError):
        set_parts(whole, [])  # booked: cannot be split now


@pytest.mark.race
def test_concurrent_approvals_of_a_part_and_the_whole_never_both_win(
    app, hall, make_booking, make_organisation, make_user, provider_manager, live_server
):
    """A and A+B asked for the same evening, approved at the same moment (two managers, two
    tabs), several evenings over: exactly one of each pair holds the hall."""
    a, b, whole = hall
    pairs = []
    for week in range(1, 4):
        day = next_weekday(2, weeks_ahead=week)
        first = make_organisation(owner=make_user(name=f"Pierwsza {week}"))
        second = make_organisation(owner=make_user(name=f"Druga {week}"))
        part = make_booking(
            a if week % 2 else b, first, day, time(17), time(19), status=BookingStatus.PENDING
        )
        combined = make_booking(
            whole, second, day, time(18), time(20), status=BookingStatus.PENDING
        )
        pairs.append((part.series_id, combined.series_id, part.id, combined.id))
    manager = Browser(app, provider_manager, base_url=live_server.url)
    for part_series, whole_series, part_id, whole_id in pairs:
        results = race(
            [
                lambda sid=sid: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz").status
                for sid in (part_series, whole_series)
            ]
        )
        assert sorted(results) == [303, 409], results
        statuses = {_status(part_id), _status(whole_id)}
        assert BookingStatus.APPROVED in statuses
        assert statuses != {BookingStatus.APPROVED}
    # The database agrees: no smallest space is occupied twice at once.
    rows = db.session.scalars(sa.select(SpaceOccupancy).order_by(SpaceOccupancy.unit_id)).all()
    for one in rows:
        assert not any(
            o.id != one.id
            and o.unit_id == one.unit_id
            and o.starts_at < one.blocked_until
            and one.starts_at < o.blocked_until
            for o in rows
        )


@pytest.mark.race
def test_concurrent_auto_approved_requests_for_a_part_and_the_whole(
    app, hall, make_organisation, make_user, provider, live_server
):
    """Verified NGOs with auto-approval ask for A, B and A+B at once: A+B never wins together
    with A or B."""
    from app.db import utcnow

    a, b, whole = hall
    provider.auto_approve_verified = True
    db.session.commit()
    day = next_weekday(4)
    form = {
        "purpose": "Próba",
        "people": "20",
        "day": day.isoformat(),
        "start": "18:00",
        "end": "20:00",
        "recurrence": "once",
        "action": "send",
    }
    calls = []
    for number, space in enumerate([a, whole, b, whole, a, whole]):
        user = make_user(name=f"Członek {number}")
        org = make_organisation(owner=user, verified_at=utcnow())
        browser = Browser(app, user, base_url=live_server.url)
        url = f"/przestrzenie/sala/{space.slug}/rezerwuj"
        calls.append(
            lambda browser=browser, url=url, org=org.id: (
                browser.post(url, {**form, "organisation": str(org)}).status
            )
        )
    results = race(calls)
    assert set(results) <= {303, 409}, results
    db.session.commit()
    approved = db.session.scalars(
        sa.select(Booking).where(Booking.status == BookingStatus.APPROVED)
    ).all()
    spaces = sorted(booking.space_id for booking in approved)
    assert spaces in ([whole.id], sorted([a.id, b.id])), spaces


def test_database_backs_up_a_check_that_missed_a_combined_room(
    hall, make_booking, organisation, other_organisation, provider_manager, monkeypatch
):
    """Even if the application's check missed the whole's booking, the occupancy rule refuses
    the part and the manager gets a conflict, not an error (both databases)."""
    from app.spaces.service import bookings

    a, _b, whole = hall
    day = next_weekday(3)
    make_booking(whole, organisation, day, time(17), time(19))
    pending = make_booking(
        a, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING
    )
    monkeypatch.setattr(bookings, "conflicts_for", lambda *args, **kwargs: [])
    with pytest.raises(service.BookingConflict):
        service.approve([pending], provider_manager)
    assert _status(pending.id) == BookingStatus.PENDING


def test_migration_triggers_use_the_slot_holding_statuses():
    import importlib.util
    from pathlib import Path

    from app.spaces.models import slot_holding_sql

    path = Path(__file__).resolve().parents[2] / "migrations/versions/0025_combined_spaces.py"
    spec = importlib.util.spec_from_file_location("m0025", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert slot_holding_sql() == module.SLOT_HOLDING


def test_the_provider_combines_rooms_on_its_page(
    client, auth, make_space, make_booking, provider_manager, organisation
):
    a = make_space("Sala A")
    b = make_space("Sala B")
    whole = make_space("Sala A+B", capacity=80)
    auth.login(provider_manager)
    url = f"/przestrzenie/sala/{whole.slug}/sala-laczona"
    page = client.get(url)
    assert page.status_code == 200 and "Sala A" in page.text and "Sala B" in page.text
    # One part is not a combination: the form again with the reason (htmx: 422 fragment).
    response = client.post(url, data={"parts": [str(a.id)]}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "co najmniej dwóch sal" in response.text
    response = client.post(url, data={"parts": [str(a.id), str(b.id)]})
    assert response.status_code == 303
    db.session.commit()
    assert sharing_spaces([a.id])[a.id] == {a.id, whole.id}
    detail = client.get(f"/przestrzenie/sala/{whole.slug}")
    assert "Sala łączona" in detail.text and "Sala A, Sala B" in detail.text
    assert "Część większej sali" in client.get(f"/przestrzenie/sala/{a.slug}").text
    # Booked: cannot be split now, and nothing changes.
    make_booking(whole, organisation, next_weekday(2), time(17), time(19))
    response = client.post(url, data={})
    assert response.status_code == 400
    assert "mają zatwierdzone przyszłe rezerwacje" in response.text
    db.session.commit()
    assert sharing_spaces([a.id])[a.id] == {a.id, whole.id}
