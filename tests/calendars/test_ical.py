"""The iCal builder and private feed tokens."""

from __future__ import annotations

from datetime import date, time

import icalendar

from app.calendars.ical import CalendarEvent, EventStatus, build_calendar, event_uid
from app.calendars.service import feed_token, rotate_feed_token, token_for
from app.extensions import db
from app.timeutil import local_to_utc


def weekly_events_across_dst():
    # Thursdays 18:00–20:00 Warsaw time, before and after the October change to winter time.
    days = [date(2026, 10, 15), date(2026, 10, 22), date(2026, 10, 29), date(2026, 11, 5)]
    return [
        CalendarEvent(
            uid=event_uid("booking", 7, index),
            start=local_to_utc(day, time(18)),
            end=local_to_utc(day, time(20)),
            summary="Próba chóru",
            sequence=index,
            location="CAL 2.Piętro, sala 1",
        )
        for index, day in enumerate(days)
    ]


def test_feed_keeps_warsaw_wall_clock_time_across_dst():
    body = build_calendar("Sala 1", weekly_events_across_dst())
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart").strftime("%H:%M") for e in events] == ["18:00"] * 4
    assert {str(e["dtstart"].params["TZID"]) for e in events} == {"Europe/Warsaw"}
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Warsaw" in body
    assert b"RRULE" not in body
    # UTC offsets differ across the change: 16:00Z in October summer time, 17:00Z in November.
    utc_hours = [
        e.decoded("dtstart").astimezone(local_to_utc(date(2026, 1, 1), time()).tzinfo).hour
        for e in events
    ]
    assert utc_hours == [16, 16, 17, 17]


def test_events_have_stable_uids_sequences_and_status():
    events = weekly_events_across_dst()
    cancelled = CalendarEvent(
        uid=events[0].uid,
        start=events[0].start,
        end=events[0].end,
        summary=events[0].summary,
        sequence=5,
        status=EventStatus.CANCELLED,
    )
    calendar = icalendar.Calendar.from_ical(build_calendar("Sala 1", [cancelled]))
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == "booking-7-0@wspolnie.torun.pl"
    assert event["sequence"] == 5
    assert str(event["status"]) == "CANCELLED"
    assert str(calendar["x-wr-calname"]) == "Sala 1"


def test_feed_tokens_can_be_rotated(app, volunteer):
    scope = f"volunteer:{volunteer.id}"
    token = feed_token(scope, volunteer.id)
    assert feed_token(scope, volunteer.id) == token
    assert token_for(token).scope == scope
    assert len(token) >= 22  # at least 128 random bits in URL-safe base64
    new_token = rotate_feed_token(scope, volunteer.id)
    db.session.commit()
    assert new_token != token
    assert token_for(token) is None
    assert token_for(new_token).scope == scope
    assert token_for("guess") is None
    # A guess of the right length with the right first half is refused as well.
    assert token_for(new_token[:20] + "x" * (len(new_token) - 20)) is None


def test_the_same_data_gives_the_same_bytes():
    """DTSTAMP is the event's last change, so a feed's bytes (and its strong ETag) only change
    when its data does."""
    events = [
        CalendarEvent(
            uid=event_uid("booking", 1),
            start=local_to_utc(date(2027, 3, 1), time(18)),
            end=local_to_utc(date(2027, 3, 1), time(20)),
            summary="Próba",
            last_modified=local_to_utc(date(2027, 2, 1), time(9)),
        )
    ]
    first = build_calendar("Sala", events, now=local_to_utc(date(2027, 2, 2), time(9)))
    again = build_calendar("Sala", events, now=local_to_utc(date(2027, 2, 9), time(9)))
    assert first == again
