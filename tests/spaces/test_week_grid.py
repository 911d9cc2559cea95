"""Issue 10 item 4: the week grid shows exact intervals – free, busy, the break between
bookings, past – instead of hourly cells inflated by the buffer, and a closed day says why."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from app.extensions import db
from app.spaces.models import BookingStatus, Closure, ClosureReason, OpeningHours, SpaceKind
from app.spaces.service import conflicts_for, slot_for, week_grid, week_start
from app.timeutil import local_to_utc, local_today, to_local
from tests.spaces.conftest import next_weekday


def day_of(week, day):
    return next(entry for entry in week if entry.day == day)


def spans(entry):
    """(state, "HH:MM–HH:MM", label) of a day's intervals, in Warsaw time."""

    def clock(moment, end=False):
        local = to_local(moment)
        if end and local.date() > entry.day:
            return "24:00"
        return local.strftime("%H:%M")

    return [
        (i.state, f"{clock(i.starts_at)}–{clock(i.ends_at, end=True)}", i.label)
        for i in entry.intervals
    ]


def row_text(html: str, day: date) -> str:
    """The text of one day's row of the week table, as a screen reader reads it."""
    start = html.index(f'<time datetime="{day.isoformat()}">')
    row = html[start : html.index("</tr>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split()).replace(" – ", "–")


def week_page(client, space, day):
    return client.get(f"/przestrzenie/sala/{space.slug}?tydzien={day.isoformat()}").text


def test_a_booking_and_its_break_are_shown_to_the_minute(
    client, make_space, make_booking, organisation
):
    """Before: hourly cells plus the 15-minute buffer showed a 10–12 booking as busy 9–13."""
    space = make_space(hours=(time(8), time(20)), buffer_minutes=15)
    day = next_weekday(2)
    make_booking(space, organisation, day, time(10), time(12), public_title="Warsztaty")
    entry = day_of(week_grid(space, week_start(day)), day)
    assert spans(entry) == [
        ("free", "08:00–09:45", ""),
        ("break", "09:45–10:00", ""),
        ("busy", "10:00–12:00", "Warsztaty"),
        ("break", "12:00–12:15", ""),
        ("free", "12:15–20:00", ""),
    ]
    # "Free" is exactly what a request is checked against, at both edges.
    for interval in entry.intervals:
        taken = bool(conflicts_for(space, interval.starts_at, interval.ends_at))
        assert taken == (interval.state != "free"), interval
    assert conflicts_for(space, *slot_for(day, time(9, 45), time(10)))
    assert conflicts_for(space, *slot_for(day, time(12), time(12, 15)))
    text = row_text(week_page(client, space, day), day)
    assert "08:00–09:45 wolne" in text and "10:00–12:00 zajęte: Warsztaty" in text
    assert "09:45–10:00 przerwa techniczna" in text and "12:15–20:00 wolne" in text
    assert "Między rezerwacjami jest 15 min przerwy technicznej" in week_page(client, space, day)


def test_an_opening_at_half_past_and_a_break_in_the_hours_are_visible(client, make_space):
    space = make_space(hours=None)
    day = next_weekday(3)
    space.opening_hours += [
        OpeningHours(weekday=day.weekday(), opens=time(8), closes=time(12)),
        OpeningHours(weekday=day.weekday(), opens=time(15, 30), closes=time(20)),
    ]
    db.session.commit()
    entry = day_of(week_grid(space, week_start(day)), day)
    assert spans(entry) == [
        ("free", "08:00–12:00", ""),
        ("closed", "12:00–15:30", ""),
        ("free", "15:30–20:00", ""),
    ]
    text = row_text(week_page(client, space, day), day)
    assert "12:00–15:30 nieczynne 15:30–20:00 wolne" in text


def test_past_times_are_past_and_the_notice_is_not_free(
    client, make_space, make_booking, organisation
):
    """Before: past hours showed as free."""
    space = make_space(hours=(time(8), time(22)), min_notice_hours=2)
    day = next_weekday(1)
    make_booking(space, organisation, day, time(9), time(11))
    now = local_to_utc(day, time(10, 30))
    entry = day_of(week_grid(space, week_start(day), now=now), day)
    assert spans(entry) == [
        ("past", "08:00–10:30", ""),
        ("busy", "10:30–11:00", ""),
        ("soon", "11:00–12:30", ""),
        ("free", "12:30–22:00", ""),
    ]
    # Through the page: last week is past, every day of it.
    last_week = local_today() - timedelta(days=7)
    html = week_page(client, space, last_week)
    for offset in range(7):
        text = row_text(html, week_start(last_week) + timedelta(days=offset))
        assert text.endswith("08:00–22:00 minione"), text
    assert "wolne" not in html[html.index("week-grid") : html.index("</table>")]


def test_a_closed_day_says_why(client, make_space, provider):
    """Before: a closed day said only "zamknięte"."""
    space = make_space(hours=None)
    space.opening_hours += [
        OpeningHours(weekday=weekday, opens=time(8), closes=time(16)) for weekday in range(6)
    ]
    wednesday = next_weekday(2)
    db.session.add(
        Closure(
            provider_id=provider.id,
            starts_on=wednesday,
            ends_on=wednesday + timedelta(days=1),
            reason=ClosureReason.SCHOOL_HOLIDAY,
            note="ferie zimowe",
        )
    )
    db.session.commit()
    week = week_grid(space, week_start(wednesday))
    assert [entry.closed for entry in week] == [
        "",
        "",
        "zamknięte: ferie lub wakacje szkolne (ferie zimowe)",
        "zamknięte: ferie lub wakacje szkolne (ferie zimowe)",
        "",
        "",
        "nieczynne w niedziele",
    ]
    html = week_page(client, space, wednesday)
    assert row_text(html, wednesday).endswith("zamknięte: ferie lub wakacje szkolne (ferie zimowe)")
    assert row_text(html, wednesday + timedelta(days=4)).endswith("nieczynne w niedziele")
    english = client.get(
        f"/przestrzenie/sala/{space.slug}?tydzien={wednesday.isoformat()}",
        headers={"Accept-Language": "en"},
    ).text
    assert "closed on Sundays" in english


def test_pending_requests_and_equipment_pieces(
    client, make_space, make_booking, organisation, other_organisation
):
    room = make_space(hours=(time(16), time(21)))
    day = next_weekday(2)
    make_booking(room, organisation, day, time(19), time(20), status=BookingStatus.PENDING)
    assert spans(day_of(week_grid(room, week_start(day)), day)) == [
        ("free", "16:00–19:00", ""),
        ("requested", "19:00–20:00", ""),
        ("free", "20:00–21:00", ""),
    ]
    projectors = make_space(
        "Rzutniki", kind=SpaceKind.EQUIPMENT, stock=2, capacity=None, hours=(time(8), time(12))
    )
    make_booking(projectors, organisation, day, time(8), time(10))
    make_booking(projectors, other_organisation, day, time(9), time(11))
    assert spans(day_of(week_grid(projectors, week_start(day)), day)) == [
        ("partial", "08:00–09:00", "wolna 1 sztuka z 2"),
        ("busy", "09:00–10:00", ""),
        ("partial", "10:00–11:00", "wolna 1 sztuka z 2"),
        ("free", "11:00–12:00", ""),
    ]
    text = row_text(week_page(client, projectors, day), day)
    assert "08:00–09:00 wolna 1 sztuka z 2 09:00–10:00 zajęte" in text


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def next_dst_sundays() -> list[date]:
    """The next last Sundays of March and October, at least two days ahead."""
    today = local_today()
    found = []
    for month in (3, 10):
        sunday = last_sunday(today.year, month)
        if sunday < today + timedelta(days=2):
            sunday = last_sunday(today.year + 1, month)
        found.append(sunday)
    return found


def test_weeks_with_both_dst_changes_keep_warsaw_wall_clock(
    client, make_space, make_booking, organisation
):
    space = make_space(hours=None, min_notice_hours=0)
    for sunday in next_dst_sundays():
        make_booking(space, organisation, sunday, time(18), time(20), public_title="Koncert")
        make_booking(space, organisation, sunday - timedelta(days=6), time(18), time(20))
        now = datetime.combine(sunday - timedelta(days=14), time(12)).astimezone()
        week = week_grid(space, week_start(sunday), now=now)
        entry = day_of(week, sunday)
        assert spans(entry) == [
            ("free", "00:00–18:00", ""),
            ("busy", "18:00–20:00", "Koncert"),
            ("free", "20:00–24:00", ""),
        ]
        # The day is 23 hours long in March and 25 in October.
        length = entry.intervals[-1].ends_at - entry.intervals[0].starts_at
        assert length == timedelta(hours=23 if sunday.month == 3 else 25)
        # The Monday before the change shows the same wall-clock time.
        assert spans(day_of(week, sunday - timedelta(days=6)))[1][:2] == ("busy", "18:00–20:00")
        text = row_text(week_page(client, space, sunday), sunday)
        assert text.endswith("00:00–18:00 wolne 18:00–20:00 zajęte: Koncert 20:00–24:00 wolne")


def test_next_week_through_htmx_and_without_javascript(
    client, make_space, make_booking, organisation
):
    space = make_space(hours=(time(16), time(21)))
    day = next_weekday(2)
    make_booking(space, organisation, day, time(17), time(19), public_title="Próba chóru")
    monday = week_start(day)
    page = client.get(f"/przestrzenie/sala/{space.slug}?tydzien={day.isoformat()}")
    assert page.text.count("Próba chóru") == 1
    following = (monday + timedelta(days=7)).isoformat()
    assert f'href="/przestrzenie/sala/{space.slug}?tydzien={following}"' in page.text
    fragment = client.hx_get(f"/przestrzenie/sala/{space.slug}?tydzien={following}")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Próba chóru" not in fragment.text and 'id="week-heading"' in fragment.text
    assert row_text(fragment.text, day + timedelta(days=7)).endswith("16:00–21:00 wolne")


def test_now_and_the_notice_fall_on_quarter_hours(make_space):
    space = make_space(hours=(time(8), time(22)), min_notice_hours=1)
    day = next_weekday(1)
    now = local_to_utc(day, time(10, 33))
    entry = day_of(week_grid(space, week_start(day), now=now), day)
    assert spans(entry) == [
        ("past", "08:00–10:30", ""),
        ("soon", "10:30–11:45", ""),
        ("free", "11:45–22:00", ""),
    ]


def test_days_beyond_the_booking_horizon_are_not_free(
    client, make_space, make_booking, organisation
):
    space = make_space(hours=(time(8), time(12)), max_days_ahead=10, min_notice_hours=0)
    today = local_today()
    now = local_to_utc(today, time(6))
    week = week_grid(space, week_start(today + timedelta(days=7)), now=now)
    for entry in week:
        expected = "later" if entry.day > today + timedelta(days=10) else "free"
        assert [i.state for i in entry.intervals] == [expected], entry.day
    far = today + timedelta(days=21)
    text = row_text(week_page(client, space, far), far)
    assert text.endswith("08:00–12:00 za daleko naprzód")
