"""Calendars served by a real HTTP server on 127.0.0.1 are imported as busy times: recurrences
with exceptions and overrides, all-day events, floating times, Windows zone names; only
UID/RECURRENCE-ID and times are stored."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from app.calendars.imports import service
from app.calendars.imports.models import CalendarSource, ImportedBusy
from app.extensions import db
from app.timeutil import local_to_utc, local_today
from tests.calendars.imports.conftest import calendar, days_after, lesson, stamp


def busy_rows(source_id=None):
    query = sa.select(ImportedBusy).order_by(ImportedBusy.starts_at)
    if source_id is not None:
        query = query.where(ImportedBusy.source_id == source_id)
    return list(db.session.scalars(query))


def intervals(source_id=None):
    return [(b.starts_at, b.ends_at) for b in busy_rows(source_id)]


def add(client, provider, url, *, space="", transparent=False, action="add", **kwargs):
    data = {"url": url, "space": space, "action": action}
    if transparent:
        data["transparent_is_busy"] = "y"
    return client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze", data=data, **kwargs
    )


def test_weekly_lessons_with_an_exception_and_a_moved_lesson(
    client, auth, provider, provider_manager, make_space, ics_server
):
    space = make_space("Sala gimnastyczna")
    monday = local_today() + timedelta(days=7 - local_today().weekday())  # all within 30 days
    body = calendar(
        lesson(
            "plan-3b@szkola",
            monday,
            time(8),
            time(9, 30),
            more=(
                "RRULE:FREQ=WEEKLY;COUNT=4\n"
                f"EXDATE;TZID=Europe/Warsaw:{stamp(days_after(monday, 7), time(8))}"
            ),
        ),
        # The third lesson moved to noon (an override of one occurrence).
        f"UID:plan-3b@szkola\nDTSTAMP:20260101T000000Z\n"
        f"RECURRENCE-ID;TZID=Europe/Warsaw:{stamp(days_after(monday, 14), time(8))}\n"
        f"DTSTART;TZID=Europe/Warsaw:{stamp(days_after(monday, 14), time(12))}\n"
        f"DTEND;TZID=Europe/Warsaw:{stamp(days_after(monday, 14), time(13))}\n"
        "SUMMARY:Zastępstwo",
    )
    url = ics_server.serve("/plan.ics", body)
    auth.login(provider_manager)

    answer = add(client, provider, url, space=space.slug, action="preview")
    assert answer.status_code == 200
    assert "3 zajęte terminy w ciągu 30 dni." in answer.get_data(as_text=True), answer.get_data(
        as_text=True
    )[-3000:]
    assert db.session.scalar(sa.select(sa.func.count(CalendarSource.id))) == 0  # nothing saved

    answer = add(client, provider, url, space=space.slug)
    assert answer.status_code == 303
    page = client.get(answer.location).get_data(as_text=True)
    assert "Dodano kalendarz 127.0.0.1/…" in page
    assert url not in page  # the secret URL is not shown again
    assert intervals() == [
        (local_to_utc(monday, time(8)), local_to_utc(monday, time(9, 30))),
        (
            local_to_utc(days_after(monday, 14), time(12)),
            local_to_utc(days_after(monday, 14), time(13)),
        ),
        (
            local_to_utc(days_after(monday, 21), time(8)),
            local_to_utc(days_after(monday, 21), time(9, 30)),
        ),
    ]
    rows = busy_rows()
    assert {r.uid for r in rows} == {"plan-3b@szkola"}
    assert rows[1].recurrence_id == local_to_utc(days_after(monday, 14), time(8)).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    source = db.session.scalar(sa.select(CalendarSource))
    assert (source.space_id, source.events_found, source.last_http_status) == (space.id, 3, 200)
    assert source.last_success_at is not None and source.last_error is None


def test_only_identity_and_times_are_stored():
    """No column could hold a summary, description or attendee (school calendars hold
    personal data)."""
    assert {c.name for c in ImportedBusy.__table__.columns} == {
        "id",
        "source_id",
        "uid",
        "recurrence_id",
        "starts_at",
        "ends_at",
    }


def test_all_day_event_blocks_the_whole_local_day_and_transparent_days_are_a_switch(
    app, provider, make_space, ics_server, weekday_ahead
):
    space = make_space()
    day = weekday_ahead
    body = calendar(
        f"UID:dzien-sportu\nDTSTART;VALUE=DATE:{day:%Y%m%d}\nDTEND;VALUE=DATE:{days_after(day, 1):%Y%m%d}",
        # Home Assistant's fix: an end equal to the start means one day.
        f"UID:rada\nDTSTART;VALUE=DATE:{days_after(day, 2):%Y%m%d}\nDTEND;VALUE=DATE:{days_after(day, 2):%Y%m%d}",
        f"UID:swieto\nDTSTART;VALUE=DATE:{days_after(day, 3):%Y%m%d}\nTRANSP:TRANSPARENT",
        f"UID:odwolane\nDTSTART;VALUE=DATE:{days_after(day, 4):%Y%m%d}\nSTATUS:CANCELLED",
    )
    url = ics_server.serve("/dni.ics", body)
    source, _outcome = service.add_source(
        provider, url=url, space=space, transparent_is_busy=False, user=None
    )
    db.session.commit()
    whole_day = [
        (local_to_utc(d, time(0)), local_to_utc(days_after(d, 1), time(0)))
        for d in (day, days_after(day, 2))
    ]
    assert intervals() == whole_day

    source.transparent_is_busy = True
    db.session.commit()
    service.sync_source(source.id)
    three = days_after(day, 3)
    assert intervals() == [
        *whole_day,
        (local_to_utc(three, time(0)), local_to_utc(days_after(three, 1), time(0))),
    ]  # the cancelled day stays free either way


def test_floating_times_read_in_x_wr_timezone_else_warsaw(
    app, provider, make_space, ics_server, weekday_ahead
):
    space = make_space()
    day = weekday_ahead
    floating = lesson("f1", day, time(10), time(11), tz="")
    warsaw = ics_server.serve("/floating.ics", calendar(floating))
    london = ics_server.serve(
        "/london.ics", calendar(floating, extra="X-WR-TIMEZONE:Europe/London")
    )
    first, _ = service.add_source(
        provider, url=warsaw, space=space, transparent_is_busy=False, user=None
    )
    second, _ = service.add_source(
        provider, url=london, space=space, transparent_is_busy=False, user=None
    )
    db.session.commit()
    assert intervals(first.id) == [(local_to_utc(day, time(10)), local_to_utc(day, time(11)))]
    # 10:00 in London is 11:00 in Warsaw.
    assert intervals(second.id) == [(local_to_utc(day, time(11)), local_to_utc(day, time(12)))]


def test_windows_zone_name(app, provider, make_space, ics_server, weekday_ahead):
    space = make_space()
    day = weekday_ahead
    url = ics_server.serve(
        "/outlook.ics",
        calendar(lesson("o1", day, time(14), time(15), tz="Central European Standard Time")),
    )
    source, _ = service.add_source(
        provider, url=url, space=space, transparent_is_busy=False, user=None
    )
    db.session.commit()
    assert intervals(source.id) == [(local_to_utc(day, time(14)), local_to_utc(day, time(15)))]


def test_events_outside_the_window_are_left_out(app, provider, make_space, ics_server):
    space = make_space()
    today = local_today()
    body = calendar(
        lesson("old", today - timedelta(days=10), time(8), time(9)),
        lesson("soon", today + timedelta(days=3), time(8), time(9)),
        lesson("far", today + timedelta(days=500), time(8), time(9)),
    )
    url = ics_server.serve("/okno.ics", body)
    service.add_source(provider, url=url, space=space, transparent_is_busy=False, user=None)
    db.session.commit()
    assert [b.uid for b in busy_rows()] == ["soon"]


def test_too_many_occurrences_are_refused(app, provider, make_space, ics_server, weekday_ahead):
    app.config["CALENDAR_IMPORT_MAX_OCCURRENCES"] = 50
    space = make_space()
    url = ics_server.serve(
        "/duzo.ics",
        calendar(lesson("d", weekday_ahead, time(8), time(9), more="RRULE:FREQ=DAILY")),
    )
    outcome = service.download(url, transparent_is_busy=False)
    assert outcome.error == "too_many_events"
    assert busy_rows() == []
    assert space  # nothing stored for it


def test_rdate_adds_occurrences_to_a_series(app, provider, make_space, ics_server, weekday_ahead):
    space = make_space()
    monday = weekday_ahead
    extra = days_after(monday, 3)
    url = ics_server.serve(
        "/rdate.ics",
        calendar(
            lesson(
                "r",
                monday,
                time(8),
                time(9),
                more=f"RRULE:FREQ=WEEKLY;COUNT=2\nRDATE;TZID=Europe/Warsaw:{stamp(extra, time(8))}",
            )
        ),
    )
    source, _ = service.add_source(
        provider, url=url, space=space, transparent_is_busy=False, user=None
    )
    db.session.commit()
    assert [start for start, _end in intervals(source.id)] == [
        local_to_utc(d, time(8)) for d in (monday, extra, days_after(monday, 7))
    ]
