"""iCalendar builders: pure functions from events to bytes (no request, no session inside).

Every occurrence is its own VEVENT with a stable UID and a SEQUENCE taken from the record's change
counter, so calendar clients update or cancel the right event. Times are written as Warsaw
wall-clock time with a VTIMEZONE, never as a UTC RRULE (which drifts an hour across DST).

Speed: icalendar spends ~300 µs serialising one event, so a provider's 5,000-event feed took
1.8 s on every poll. Each VEVENT is still produced by icalendar, but its bytes are cached by the
event's whole content (a frozen dataclass: a moved or renamed event is a new key, nothing to
invalidate) and the calendar is assembled around them. DTSTAMP is the event's last change, so the
same data always gives the same bytes (a strong ETag stays honest).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

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


# Enough for the largest feeds of several providers at once (~500 bytes per event).
EVENT_CACHE_SIZE = 50_000
CALENDAR_END = b"END:VCALENDAR\r\n"


def build_calendar(
    name: str,
    events: Iterable[CalendarEvent],
    *,
    description: str = "",
    refresh_minutes: int = 60,
    now: datetime | None = None,
) -> bytes:
    stamp = now or utcnow()
    head = _calendar_head(name, description, refresh_minutes)
    body = b"".join(vevent_bytes(item, item.last_modified or stamp) for item in events)
    return head + body + CALENDAR_END


@lru_cache(maxsize=256)
def _calendar_head(name: str, description: str, refresh_minutes: int) -> bytes:
    """Everything before the events: properties and the Warsaw VTIMEZONE."""
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
    calendar.add_component(icalendar.Timezone.from_tzid("Europe/Warsaw"))
    whole = calendar.to_ical()
    assert whole.endswith(CALENDAR_END)
    return whole[: -len(CALENDAR_END)]


@lru_cache(maxsize=EVENT_CACHE_SIZE)
def vevent_bytes(item: CalendarEvent, stamp: datetime) -> bytes:
    return _vevent(item, stamp).to_ical()


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
