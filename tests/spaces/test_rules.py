"""Availability rules and recurrence: opening hours, closures, notice, length, horizon,
buffer, and weekly series that keep their wall-clock time across both DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.spaces import service
from app.spaces.models import BookingStatus, Closure, ClosureReason, Recurrence, SpaceKind
from app.timeutil import to_local
from tests.spaces.conftest import next_weekday


def slot(day, start, end):
    return service.slot_for(day, start, end)


def test_opening_hours_per_weekday(make_space):
    space = make_space(hours=(time(16), time(21)))
    day = next_weekday(2)
    assert service.rule_problems(space, *slot(day, time(17), time(19))) == []
    assert "Poza godzinami otwarcia." in service.rule_problems(
        space, *slot(day, time(15), time(17))
    )
    assert "Poza godzinami otwarcia." in service.rule_problems(
        space, *slot(day, time(20), time(22))
    )


def test_weekend_and_evening_hours(make_space):
    from app.spaces.models import OpeningHours

    space = make_space(hours=None)
    space.opening_hours.append(OpeningHours(weekday=5, opens=time(10), closes=time(22)))
    saturday, sunday = next_weekday(5), next_weekday(6)
    assert service.rule_problems(space, *slot(saturday, time(19), time(22))) == []
    assert service.rule_problems(space, *slot(sunday, time(12), time(13))) == [
        "Poza godzinami otwarcia."
    ]


def test_closures_of_a_space_and_of_the_whole_provider(make_space, provider, app):
    from app.extensions import db

    space = make_space()
    winter_break = next_weekday(0, weeks_ahead=3)
    provider.closures.append(
        Closure(
            starts_on=winter_break,
            ends_on=winter_break + timedelta(days=13),
            reason=ClosureReason.SCHOOL_HOLIDAY,
            note="ferie zimowe",
        )
    )
    space.closures.append(
        Closure(starts_on=next_weekday(1), ends_on=next_weekday(1), reason=ClosureReason.RENOVATION)
    )
    db.session.commit()
    problems = service.rule_problems(
        space, *slot(winter_break + timedelta(days=3), time(10), time(12))
    )
    assert problems == ["Zamknięte: ferie lub wakacje szkolne (ferie zimowe)"]
    assert service.rule_problems(space, *slot(next_weekday(1), time(10), time(12))) == [
        "Zamknięte: remont"
    ]
    assert service.rule_problems(space, *slot(next_weekday(2), time(10), time(12))) == []


def test_minimum_notice_maximum_length_and_horizon(make_space):
    space = make_space(min_notice_hours=48, max_length_minutes=120, max_days_ahead=30)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    tomorrow = date(2026, 12, 2)
    [notice] = service.rule_problems(space, *slot(tomorrow, time(10), time(11)), now=now)
    assert "48 h" in notice
    [length] = service.rule_problems(space, *slot(date(2026, 12, 10), time(10), time(13)), now=now)
    assert "120 min" in length
    [horizon] = service.rule_problems(space, *slot(date(2027, 2, 1), time(10), time(11)), now=now)
    assert "30 dni" in horizon


def test_buffer_between_bookings(make_space, make_booking, organisation):
    space = make_space(buffer_minutes=30)
    day = next_weekday(3)
    existing = make_booking(space, organisation, day, time(10), time(12))
    # 12:15 is inside the buffer after the existing booking; 12:30 is fine.
    assert service.conflicts_for(space, *slot(day, time(12, 15), time(13))) == [existing]
    assert service.conflicts_for(space, *slot(day, time(12, 30), time(13))) == []
    # The new booking's own buffer counts too: ending at 9:45 leaves too little before 10:00.
    assert service.conflicts_for(space, *slot(day, time(9), time(9, 45))) == [existing]
    assert service.conflicts_for(space, *slot(day, time(9), time(9, 30))) == []


def test_pending_and_cancelled_bookings_do_not_hold_the_slot(
    make_space, make_booking, organisation
):
    space = make_space()
    day = next_weekday(3)
    for status in (BookingStatus.PENDING, BookingStatus.CANCELLED, BookingStatus.DECLINED):
        make_booking(space, organisation, day, time(10), time(12), status=status)
    assert service.conflicts_for(space, *slot(day, time(10), time(12))) == []


def test_equipment_quantity_against_stock(make_space, make_booking, organisation):
    chairs = make_space(kind=SpaceKind.EQUIPMENT, stock=50, capacity=None)
    day = next_weekday(5)
    make_booking(chairs, organisation, day, time(9), time(12), quantity=30)
    make_booking(chairs, organisation, day, time(11), time(15), quantity=15)
    # At 11–12 there are 45 out: 5 more fit, 6 do not; after 12 there are 35 free.
    assert service.conflicts_for(chairs, *slot(day, time(10), time(13)), 5) == []
    assert len(service.conflicts_for(chairs, *slot(day, time(10), time(13)), 6)) == 2
    assert service.conflicts_for(chairs, *slot(day, time(12), time(16)), 35) == []


def _local_clock(moments):
    return [(to_local(s).date(), to_local(s).time(), to_local(e).time()) for s, e in moments]


def test_weekly_series_keeps_wall_clock_time_across_spring_dst():
    days = service.occurrence_days(Recurrence.WEEKLY, date(2027, 3, 18), until=None, count=3)
    slots = [service.slot_for(d, time(18), time(20)) for d in days]
    assert [s.hour for s, _ in slots] == [17, 17, 16]  # UTC shifts at 28 March 2027
    assert {(a, b) for _, a, b in _local_clock(slots)} == {(time(18), time(20))}


def test_weekly_series_keeps_wall_clock_time_across_autumn_dst():
    days = service.occurrence_days(
        Recurrence.WEEKLY, date(2027, 10, 21), until=date(2027, 11, 4), count=None
    )
    assert days == [date(2027, 10, 21), date(2027, 10, 28), date(2027, 11, 4)]
    slots = [service.slot_for(d, time(18), time(20)) for d in days]
    assert [s.hour for s, _ in slots] == [16, 16, 17]  # UTC shifts at 31 October 2027
    assert {(a, b) for _, a, b in _local_clock(slots)} == {(time(18), time(20))}


def test_until_is_inclusive_whatever_the_time_of_day():
    first = date(2027, 1, 7)
    for until in (
        date(2027, 1, 21),
        datetime(2027, 1, 21, 0, 0),
        datetime(2027, 1, 21, 23, 59),
        datetime(2027, 1, 20, 23, 30, tzinfo=UTC),  # 00:30 on the 21st in Warsaw
    ):
        days = service.occurrence_days(Recurrence.WEEKLY, first, until=until, count=None)
        assert days[-1] == date(2027, 1, 21), until


def test_every_two_weeks_expresses_school_a_b_weeks():
    days = service.occurrence_days(Recurrence.BIWEEKLY, date(2027, 2, 1), until=None, count=4)
    assert [d.isoformat() for d in days] == ["2027-02-01", "2027-02-15", "2027-03-01", "2027-03-15"]


def test_school_terms():
    assert service.term_of(date(2026, 10, 1)) == "2026-Z"
    assert service.term_of(date(2027, 1, 15)) == "2026-Z"
    assert service.term_of(date(2027, 2, 1)) == "2027-L"
    assert service.term_bounds("2026-Z") == (date(2026, 9, 1), date(2027, 1, 31))


def test_stored_series_keep_local_time_across_both_dst_changes(
    make_space, organisation, ngo_owner, app
):
    from app.extensions import db
    from app.spaces.models import BookingSeries

    space = make_space(max_days_ahead=800, min_notice_hours=0)
    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    for first in (date(2027, 3, 18), date(2027, 10, 21)):
        series = service.create_request(
            space,
            organisation,
            ngo_owner,
            service.BookingRequest(
                "Chór", 10, first, time(18), time(20), recurrence=Recurrence.WEEKLY, count=3
            ),
            now=now,
        )
        db.session.expire_all()  # read back what the database stored
        stored = db.session.get(BookingSeries, series.id).occurrences
        assert [to_local(b.starts_at).time() for b in stored] == [time(18)] * 3
        assert [to_local(b.ends_at).time() for b in stored] == [time(20)] * 3
        assert len({b.starts_at.utcoffset() for b in stored}) == 1  # all stored as UTC
        assert len({to_local(b.starts_at).utcoffset() for b in stored}) == 2  # one DST change
