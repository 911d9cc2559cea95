"""Concurrent decisions on one booking end in one consistent state, over real HTTP.

Before every decision took the space's lock, PostgreSQL let approve and decline of one booking
both succeed (an approved booking declined after its competitor had been auto-declined: the
slot empty and both NGOs refused), and an approval could undo the NGO's cancellation. Each
test repeats the race a few times; SQLite serialises writers with BEGIN IMMEDIATE, PostgreSQL
with the space row lock.
"""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.spaces.models import Booking, BookingStatus, BookingStatusChange
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday

pytestmark = pytest.mark.race

TRIALS = 8
P, A, D, C = (
    BookingStatus.PENDING,
    BookingStatus.APPROVED,
    BookingStatus.DECLINED,
    BookingStatus.CANCELLED,
)


def _state(*bookings):
    """Statuses and status-change histories ((from, to) pairs) as committed."""
    db.session.commit()  # end the test's read snapshot
    statuses, histories = [], []
    for booking in bookings:
        statuses.append(
            db.session.scalar(sa.select(Booking.status).where(Booking.id == booking.id))
        )
        histories.append(
            [
                (row.from_status, row.to_status)
                for row in db.session.scalars(
                    sa.select(BookingStatusChange)
                    .where(BookingStatusChange.booking_id == booking.id)
                    .order_by(BookingStatusChange.id)
                )
            ]
        )
    return statuses, histories


@pytest.fixture
def browsers(app, live_server, provider_manager, ngo_owner):
    return (
        Browser(app, provider_manager, base_url=live_server.url),
        Browser(app, ngo_owner, base_url=live_server.url),
    )


def _competing_pair(make_booking, space, organisation, other_organisation, trial):
    day = next_weekday(2, weeks_ahead=trial + 1)
    mine = make_booking(space, organisation, day, time(17), time(19), status=P)
    theirs = make_booking(space, other_organisation, day, time(18), time(20), status=P)
    return mine, theirs


def test_approve_and_decline_of_one_booking_never_both_happen(
    make_space, make_booking, organisation, other_organisation, browsers
):
    manager, _ngo = browsers
    space = make_space()
    for trial in range(TRIALS):
        mine, theirs = _competing_pair(make_booking, space, organisation, other_organisation, trial)
        series_id = mine.series_id
        approve, decline = race(
            [
                lambda sid=series_id: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz"),
                lambda sid=series_id: manager.post(
                    f"/przestrzenie/rezerwacje/{sid}/odrzuc", {"reason": "Remont"}
                ),
            ]
        )
        statuses, histories = _state(mine, theirs)
        if approve.status == 303:
            # Approved first: the competitor lost, the decline found nothing pending.
            assert decline.status == 409, (trial, decline.status)
            assert "Nie ma oczekujących terminów do odrzucenia." in decline.text
            assert statuses == [A, D]
            assert histories == [[(P, A)], [(P, D)]]
        else:
            # Declined first: nothing left to approve, the competitor still waits.
            assert (approve.status, decline.status) == (409, 303), trial
            assert "decyzję właśnie podjęto" in approve.text
            assert statuses == [D, P]
            assert histories == [[(P, D)], []]


def test_approval_never_undoes_the_ngos_cancellation(
    make_space, make_booking, organisation, browsers
):
    manager, ngo = browsers
    space = make_space()
    for trial in range(TRIALS):
        booking = make_booking(
            space, organisation, next_weekday(3, weeks_ahead=trial + 1), status=P
        )
        series_id = booking.series_id
        approve, cancel = race(
            [
                lambda sid=series_id: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz"),
                lambda sid=series_id: ngo.post(
                    f"/przestrzenie/rezerwacje/{sid}/odwolaj",
                    {"reason": "Zmiana planów"},
                ),
            ]
        )
        statuses, histories = _state(booking)
        assert cancel.status == 303, trial
        assert statuses == [C]  # whatever the order, the NGO's cancellation stands
        if approve.status == 303:
            assert histories == [[(P, A), (A, C)]]
        else:
            assert approve.status == 409
            assert "decyzję właśnie podjęto" in approve.text
            assert histories == [[(P, C)]]


def test_competing_approvals_give_the_slot_to_exactly_one(
    make_space, make_booking, organisation, other_organisation, browsers
):
    manager, _ngo = browsers
    space = make_space()
    for trial in range(TRIALS):
        mine, theirs = _competing_pair(make_booking, space, organisation, other_organisation, trial)
        answers = race(
            [
                lambda sid=b.series_id: manager.post(f"/przestrzenie/rezerwacje/{sid}/zatwierdz")
                for b in (mine, theirs)
            ]
        )
        statuses, histories = _state(mine, theirs)
        assert sorted(a.status for a in answers) == [303, 409], trial
        winner = 0 if answers[0].status == 303 else 1
        assert statuses[winner] == A and statuses[1 - winner] == D
        assert histories[winner] == [(P, A)] and histories[1 - winner] == [(P, D)]
        assert "decyzję właśnie podjęto" in answers[1 - winner].text
