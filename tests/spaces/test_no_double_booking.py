"""No double booking, ever: the database refuses it, and concurrent HTTP requests prove it."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.spaces import service
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    SpaceKind,
)
from app.spaces.service import bookings
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday

pytestmark = pytest.mark.race


def _statuses(space):
    return [
        b.status
        for b in db.session.scalars(
            sa.select(Booking).where(Booking.space_id == space.id).order_by(Booking.id)
        )
    ]


def test_migration_constraint_uses_the_slot_holding_statuses():
    import importlib.util
    from importlib import import_module
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "migrations/versions/0005_spaces.py"
    spec = importlib.util.spec_from_file_location("m0003", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import_module("app.spaces.models")
    from app.spaces.models import slot_holding_sql

    assert slot_holding_sql() == module.SLOT_HOLDING


def test_database_refuses_overlapping_room_bookings(
    app, backend, make_space, make_booking, organisation, other_organisation
):
    if backend != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL; SQLite uses BEGIN IMMEDIATE")
    space = make_space(buffer_minutes=30)
    day = next_weekday(2)
    make_booking(space, organisation, day, time(17), time(19))
    # Starts 15 minutes after the first one ends: inside the 30-minute buffer.
    with pytest.raises(IntegrityError, match="ex_bookings_no_overlap"):
        make_booking(space, other_organisation, day, time(19, 15), time(20))
    db.session.rollback()
    # Pending requests may overlap; only slot-holding statuses are exclusive.
    make_booking(space, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING)
    make_booking(space, other_organisation, day, time(19, 30), time(21))


def test_database_backs_up_a_check_that_missed(
    app,
    backend,
    make_space,
    make_booking,
    organisation,
    other_organisation,
    provider_manager,
    monkeypatch,
):
    """Even if the application's check fails to see a conflict (as check-then-insert systems
    do under a race), the constraint refuses the second booking and we answer with a conflict."""
    if backend != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL")
    space = make_space()
    day = next_weekday(3)
    make_booking(space, organisation, day, time(17), time(19))
    pending = make_booking(
        space, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING
    )
    monkeypatch.setattr(bookings, "conflicts_for", lambda *args, **kwargs: [])
    with pytest.raises(service.BookingConflict):
        service.approve([pending], provider_manager)
    assert _statuses(space) == [BookingStatus.APPROVED, BookingStatus.PENDING]


def test_concurrent_approvals_of_competing_requests(
    app,
    make_space,
    make_booking,
    make_organisation,
    make_user,
    provider_manager,
    live_server,
    outbox,
):
    """24 pending requests for one room and time; the manager approves all at once (double
    clicks, two tabs, two managers): exactly one wins, 23 get 409, the others are declined
    with a reason and told so."""
    space = make_space(buffer_minutes=15)
    day = next_weekday(1)
    series_ids = []
    for number in range(24):
        organisation = make_organisation(owner=make_user(name=f"Osoba {number}"))
        start = time(17, 0) if number % 2 else time(17, 30)
        series_ids.append(
            make_booking(
                space, organisation, day, start, time(19), status=BookingStatus.PENDING
            ).series_id
        )
    manager = Browser(app, provider_manager, base_url=live_server.url)
    results = [
        answer.status
        for answer in race(
            [
                (lambda sid=sid: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz"))
                for sid in series_ids
            ]
        )
    ]
    assert sorted(results).count(303) == 1, results
    assert sorted(results).count(409) == 23, results
    db.session.commit()  # end the test's read snapshot
    statuses = _statuses(space)
    assert statuses.count(BookingStatus.APPROVED) == 1
    assert statuses.count(BookingStatus.DECLINED) == 23
    # Exactly one audit row per change that happened: the approval and 23 declines.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingStatusChange)) == 24
    # Every loser was told why (never silently).
    declined_mail = [m for m in outbox() if m.topic and m.topic.startswith("booking-declined")]
    assert len(declined_mail) == 23
    assert all("innej organizacji" in m.body for m in declined_mail)


def test_concurrent_requests_with_auto_approval(
    app, make_space, make_organisation, make_user, provider, live_server, outbox
):
    """20 verified NGOs ask for the same evening at once with auto-approval on: exactly one
    gets it, 19 get 409, and no half-written request remains."""
    from app.db import utcnow

    provider.auto_approve_verified = True
    db.session.commit()
    space = make_space()
    day = next_weekday(4)
    users = []
    for number in range(20):
        user = make_user(name=f"Członek {number}")
        make_organisation(owner=user, verified_at=utcnow())
        users.append(Browser(app, user, base_url=live_server.url))
    form = {
        "purpose": "Próba teatru",
        "people": "12",
        "day": day.isoformat(),
        "start": "18:00",
        "end": "20:00",
        "recurrence": "once",
        "action": "send",
    }

    url = f"/przestrzenie/sala/{space.slug}/rezerwuj"

    def ask(browser, org_index):
        return lambda: browser.post(url, {**form, "organisation": str(org_index)}).status

    from app.organisations.models import Organisation

    org_ids = [o.id for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.id))]
    results = race([ask(u, org_ids[i]) for i, u in enumerate(users)])
    assert results.count(303) == 1, results
    assert results.count(409) == 19, results
    db.session.commit()  # end the test's read snapshot
    assert _statuses(space) == [BookingStatus.APPROVED]
    # Nothing half-written: one series, its two status changes, the winner's two e-mails.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingStatusChange)) == 2
    assert len(outbox()) == 2


def test_concurrent_equipment_loans_never_exceed_the_stock(
    app,
    make_space,
    make_booking,
    make_organisation,
    make_user,
    provider_manager,
    live_server,
):
    """Chairs: 100 in stock, 22 requests of 10 chairs each overlapping in time, all approved at
    once: exactly 10 are approved, and at no moment are more than 100 chairs lent."""
    # A day-long loan is within the rules (approval checks them, as the request does).
    chairs = make_space(
        "Krzesła", kind=SpaceKind.EQUIPMENT, stock=100, capacity=None, max_length_minutes=600
    )
    day = next_weekday(5)
    series_ids = []
    for number in range(22):
        organisation = make_organisation(owner=make_user(name=f"Osoba {number}"))
        start = time(9 + number % 3)
        booking = make_booking(
            chairs, organisation, day, start, time(16), quantity=10, status=BookingStatus.PENDING
        )
        series_ids.append(booking.series_id)
    manager = Browser(app, provider_manager, base_url=live_server.url)
    results = [
        answer.status
        for answer in race(
            [
                (lambda sid=sid: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz"))
                for sid in series_ids
            ]
        )
    ]
    assert results.count(303) == 10, results
    assert results.count(409) == 12, results
    db.session.commit()  # end the test's read snapshot
    held = db.session.scalars(
        sa.select(Booking).where(
            Booking.space_id == chairs.id, Booking.status.in_(SLOT_HOLDING_STATUSES)
        )
    ).all()
    start, end = service.slot_for(day, time(0), time(23))
    assert service.peak_quantity(held, start, end) == 100
    assert len(held) == 10


def test_approving_a_taken_slot_shows_the_conflict(
    app,
    client,
    auth,
    make_space,
    make_booking,
    organisation,
    other_organisation,
    provider_manager,
):
    space = make_space(buffer_minutes=30)
    day = next_weekday(2)
    make_booking(space, organisation, day, time(17), time(19), public_title="Warsztaty")
    late = make_booking(
        space, other_organisation, day, time(19, 10), time(20), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    response = client.post(f"/przestrzenie/rezerwacje/{late.series_id}/zatwierdz")
    assert response.status_code == 409
    assert "jest już zajęty" in response.text
    assert "Warsztaty" in response.text  # the booking in the way is shown
    db.session.commit()  # end the test's read snapshot
    assert db.session.get(Booking, late.id).status == BookingStatus.PENDING
    assert timedelta(minutes=30) == late.blocked_until - late.ends_at
