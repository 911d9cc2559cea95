"""A fortnightly series at a school follows the school's A/B weeks, not calendar fortnights:
over a break the series skips the weeks without school and stays in its letter; the wall-clock
time holds across the DST change; other providers keep calendar fortnights."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from freezegun import freeze_time

from app.extensions import db
from app.spaces import service
from app.spaces.models import BookingSeries, ProviderKind, Recurrence
from app.spaces.service.holiday_presets import ab_week
from app.timeutil import to_local


def test_a_school_fortnight_keeps_its_letter_over_the_christmas_break():
    first = date(2026, 10, 19)  # a Monday of week B
    letter = ab_week(first)
    days = service.occurrence_days(
        Recurrence.BIWEEKLY, first, until=date(2027, 1, 31), count=None, school_weeks=True
    )
    assert {ab_week(d) for d in days} == {letter}
    assert all(d.weekday() == 0 for d in days)
    # 21.12 (two school days before the break) is week A; 28.12 is no school week; 4.01 is B.
    assert date(2026, 12, 14) in days and date(2027, 1, 4) in days
    assert date(2026, 12, 28) not in days and date(2027, 1, 11) not in days
    calendar = service.occurrence_days(
        Recurrence.BIWEEKLY, first, until=date(2027, 1, 31), count=None
    )
    assert date(2026, 12, 28) in calendar and date(2027, 1, 11) in calendar


def test_beyond_the_known_school_years_it_goes_on_by_calendar_fortnights():
    days = service.occurrence_days(
        Recurrence.BIWEEKLY, date(2027, 6, 14), until=None, count=4, school_weeks=True
    )
    # The summer holidays have no school weeks; 2027/28 is not in the table yet.
    assert days == [date(2027, 6, 14), date(2027, 9, 6), date(2027, 9, 20), date(2027, 10, 4)]


def test_a_day_in_a_break_starts_a_calendar_fortnight():
    days = service.occurrence_days(
        Recurrence.BIWEEKLY, date(2026, 12, 28), until=None, count=3, school_weeks=True
    )
    assert days == [date(2026, 12, 28), date(2027, 1, 11), date(2027, 1, 25)]


@freeze_time("2026-10-01 10:00:00")
def test_a_school_request_books_its_a_b_weeks_across_dst_and_the_break(
    client, auth, make_space, ngo_owner, organisation
):
    space = make_space(max_days_ahead=400)
    assert space.provider.kind == ProviderKind.SCHOOL
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/rezerwuj",
        data={
            "organisation": organisation.id,
            "purpose": "Koło szachowe",
            "people": "10",
            "day": "2026-10-19",
            "start": "17:00",
            "end": "18:30",
            "recurrence": "biweekly",
            "until": "2027-01-31",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    series = db.session.scalars(db.select(BookingSeries)).one()
    days = [to_local(b.starts_at).date() for b in series.occurrences]
    letter = ab_week(date(2026, 10, 19))
    assert len(days) == 7 and {ab_week(d) for d in days} == {letter}
    assert not [d for d in days if date(2026, 12, 23) <= d <= date(2026, 12, 31)]
    # 18:00 Warsaw before and after 25 October: two UTC offsets, one wall-clock time.
    assert {to_local(b.starts_at).time() for b in series.occurrences} == {time(17)}
    assert {to_local(b.ends_at).time() for b in series.occurrences} == {time(18, 30)}
    assert {b.starts_at.astimezone(UTC).hour for b in series.occurrences} == {15, 16}


def test_other_providers_keep_calendar_fortnights(
    make_provider, make_space, organisation, ngo_owner
):
    centre = make_provider("Centrum", kind=ProviderKind.ACTIVITY_CENTRE)
    space = make_space(owner=centre, max_days_ahead=800, min_notice_hours=0)
    series = service.create_request(
        space,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Próby", 8, date(2026, 12, 14), time(17), time(18), Recurrence.BIWEEKLY, count=3
        ),
        now=datetime(2026, 10, 1, 10, tzinfo=UTC),
    )
    days = [to_local(b.starts_at).date() for b in series.occurrences]
    assert days == [date(2026, 12, 14), date(2026, 12, 28), date(2027, 1, 11)]


@freeze_time("2026-12-01 10:00:00")
def test_matching_checks_a_schools_fortnight_on_its_a_b_weeks(
    make_provider, make_space, make_booking, organisation
):
    from app.spaces.matching import Need, match_venues

    school = make_space("Sala szkolna", max_days_ahead=400)
    centre = make_provider("Centrum", kind=ProviderKind.ACTIVITY_CENTRE)
    hall = make_space("Sala w centrum", owner=centre, max_days_ahead=400)
    # 29.12 is the calendar's second date and in the school's Christmas break: a booking then
    # stops only the centre's hall; 5.01 (the school's next week B) stops only the school.
    make_booking(school, organisation, date(2026, 12, 29), time(17), time(18))
    need = Need(
        day=date(2026, 12, 15),
        start=time(17),
        end=time(18),
        people=5,
        recurrence=Recurrence.BIWEEKLY,
        count=3,
    )
    assert sorted(m.space.name for m in match_venues(need).matches) == [
        "Sala szkolna",
        "Sala w centrum",
    ]
    make_booking(hall, organisation, date(2026, 12, 29), time(17), time(18))
    assert [m.space.name for m in match_venues(need).matches] == ["Sala szkolna"]
    make_booking(school, organisation, date(2027, 1, 5), time(17), time(18))
    assert [m.space.name for m in match_venues(need).matches] == []


@freeze_time("2026-12-01 10:00:00")
def test_nothing_fits_explains_a_schools_fortnight_on_its_a_b_weeks(
    make_provider, make_space, make_booking, organisation
):
    from app.spaces.matching import Need, match_venues
    from app.spaces.nothing_fits import why_nothing_fits

    school = make_space("Sala szkolna", max_days_ahead=400)
    centre = make_provider("Centrum", kind=ProviderKind.ACTIVITY_CENTRE)
    hall = make_space("Sala w centrum", owner=centre, max_days_ahead=400)
    # The centre's hall is taken on 29.12 (its calendar fortnight), the school on 5.01 (its
    # next week B; 29.12 is in its Christmas break, so its series does not book that day).
    make_booking(hall, organisation, date(2026, 12, 29), time(17), time(18))
    make_booking(school, organisation, date(2027, 1, 5), time(17), time(18))
    need = Need(
        day=date(2026, 12, 15),
        start=time(17),
        end=time(18),
        people=5,
        recurrence=Recurrence.BIWEEKLY,
        count=3,
    )
    assert match_venues(need).matches == []
    why = why_nothing_fits(need)
    assert why.lead == "2 sale spełniają wymagania, ale nie w tym terminie:"
    school_line = next(r for r in why.reasons if r.startswith("Sala szkolna"))
    hall_line = next(r for r in why.reasons if r.startswith("Sala w centrum"))
    assert school_line.startswith("Sala szkolna – 5.01: Zajęte:")
    assert hall_line.startswith("Sala w centrum – 29.12: Zajęte:")
