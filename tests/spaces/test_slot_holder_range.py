"""Slot holders are read from a short range of bookings (issue 14): a room's occurrence stays
within a day, so only bookings that started shortly before the window are read, never the room's
whole future or history; equipment lent over days is still seen from its first day."""

from __future__ import annotations

from datetime import time, timedelta

from app.extensions import db
from app.spaces import service
from app.spaces.models import BookingStatus, SpaceKind
from app.spaces.service.availability import ROOM_OCCURRENCE_SPAN
from tests.helpers import count_statements
from tests.spaces.conftest import next_weekday


def test_a_late_booking_and_its_break_still_hold_the_next_morning(
    make_space, make_booking, organisation
):
    # 20:00-24:00 with a four-hour break: the room is not free until 04:00 the next day.
    room = make_space(buffer_minutes=240, hours=(time(0), time(23, 59)))
    monday = next_weekday(0)
    late = make_booking(room, organisation, monday, time(20), time(0))
    first, last = service.slot_for(monday + timedelta(days=1), time(2), time(3))
    assert service.all_rooms([room])
    held = service.slot_holders([room.id], first, last, rooms=True)[room.id]
    assert [b.id for b in held] == [late.id]
    assert service.conflicts_for(room, first, last) == [late]


def test_a_loan_over_days_is_seen_in_its_last_days(make_space, organisation, ngo_owner):
    tents = make_space("Namioty", kind=SpaceKind.EQUIPMENT, stock=1, capacity=None, max_loan_days=7)
    monday = next_weekday(0)
    series = service.create_request(
        tents,
        organisation,
        ngo_owner,
        service.BookingRequest(
            purpose="Obóz",
            people=20,
            first_day=monday,
            start_time=time(9),
            end_time=time(10),
            loan_days=6,
        ),
    )
    (loan,) = series.occurrences
    loan.status = BookingStatus.APPROVED
    db.session.commit()
    # The window is five days after the loan began: further back than a room's span.
    first, last = service.slot_for(monday + timedelta(days=5), time(12), time(13))
    assert first - loan.starts_at > ROOM_OCCURRENCE_SPAN
    assert not service.all_rooms([tents])
    assert service.conflicts_for(tents, first, last) == [loan]
    assert service.slot_holders([tents.id], first, last)[tents.id] == [loan]


def test_matching_reads_bookings_by_a_range_of_start_times(
    app, client, make_space, make_booking, organisation
):
    room = make_space()
    day = next_weekday(2)
    for weeks in range(4):
        make_booking(room, organisation, day + timedelta(days=7 * weeks), time(9), time(11))
    with count_statements() as statements:
        page = client.get(f"/przestrzenie/dopasuj?day={day}&start=17:00&end=19:00&people=5")
    assert page.status_code == 200 and room.name in page.text
    holders = next(s for s in statements if s.lstrip().startswith("SELECT bookings.id"))
    # The statement bounds starts_at from below, so an index on (space_id, starts_at) or
    # starts_at reads a range of two days, not every booking before the window.
    assert holders.count("bookings.starts_at >") >= 1, holders
    if db.engine.dialect.name == "sqlite":
        # The plan's shape does not depend on the values: bind NULLs.
        nulls = (None,) * holders.count("?")
        plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + holders, nulls)
        details = " ".join(str(row[-1]) for row in plan)
        assert "starts_at>? AND starts_at<?" in details, details
