"""iCalendar builders: pure functions from events to bytes (no request, no session inside).

Every occurrence is its own VEVENT with a stable UID and a SEQUENCE taken from the record's change
counter, so calendar clients update or cancel the right event. Times are written as Warsaw
wall-clock time with a VTIMEZONE, never as a UTC RRULE (which drifts an hour across DST).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar

from app.db import utcnow
from app.timeutil import WARSAW

PRODID = "-//Wspolnie Torun//wspolnie//PL"
UID_DOMAIN = "wspolnie.torun.pl"


class EventStatus:
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    sequence: int = 0
    status: str = EventStatus.CONFIRMED
    description: str = ""
    location: str = ""
    url: str | None = None
    last_modified: datetime | None = None
    categories: tuple[str, ...] = ()


def event_uid(kind: str, *ids: int | str) -> str:
    """A UID that stays the same for the life of the record: ``booking-12@wspolnie.torun.pl``."""
    return "-".join([kind, *map(str, ids)]) + "@" + UID_DOMAIN


def build_calendar(
    name: str,
    events: Iterable[CalendarEvent],
    *,
    description: str = "",
    refresh_minutes: int = 60,
    now: datetime | None = None,
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add(
        "refresh-interval", timedelta(minutes=refresh_minutes), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", f"PT{refresh_minutes}M")
    stamp = now or utcnow()
    for item in events:
        calendar.add_component(_vevent(item, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _vevent(item: CalendarEvent, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start.astimezone(WARSAW))
    event.add("dtend", item.end.astimezone(WARSAW))
    event.add("summary", item.summary)
    event.add("sequence", item.sequence)
    event.add("status", item.status)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    if item.last_modified:
        event.add("last-modified", item.last_modified)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.status == EventStatus.CANCELLED:
        event.add("transp", "TRANSPARENT")
    return event
