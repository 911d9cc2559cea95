"""A downloaded calendar as busy intervals: only UID, RECURRENCE-ID, start and end are kept.

recurring-ical-events (over icalendar) expands RRULE and RDATE, drops EXDATE, applies
RECURRENCE-ID overrides (THISANDFUTURE too) and reads floating times in X-WR-TIMEZONE;
icalendar maps Windows zone names ("Central European Standard Time") to IANA ones. Here:
floating times without X-WR-TIMEZONE are Warsaw time; an all-day event blocks the whole local
day(s) (an end not after the start means one day); cancelled events, Outlook's "free" and,
unless the source says otherwise, TRANSP:TRANSPARENT events do not block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import recurring_ical_events

from app.timeutil import WARSAW, local_to_utc, local_today

WINDOW_DAYS_BACK = 1
WINDOW_MONTHS_AHEAD = 13


class ParseError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Busy:
    uid: str
    recurrence_id: str | None
    starts_at: datetime
    ends_at: datetime


def window(today: date | None = None) -> tuple[datetime, datetime]:
    """From yesterday to 13 months ahead (UTC bounds of Warsaw days)."""
    today = today or local_today()
    month = today.month - 1 + WINDOW_MONTHS_AHEAD
    year, month = today.year + month // 12, month % 12 + 1
    last = date(year, month, min(today.day, 28))
    return (
        local_to_utc(today - timedelta(days=WINDOW_DAYS_BACK), time(0)),
        local_to_utc(last, time(0)),
    )


def parse_busy(
    data: bytes,
    *,
    transparent_is_busy: bool = False,
    first: datetime,
    last: datetime,
    max_occurrences: int = 20000,
) -> list[Busy]:
    """Busy intervals overlapping [first, last), sorted; ``ParseError`` if the data is not a
    calendar or holds more occurrences than ``max_occurrences`` in the window."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError, IndexError, KeyError, ...
        raise ParseError("invalid_file") from error
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise ParseError("invalid_file")
    found: dict[tuple, Busy] = {}
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.after(first - timedelta(days=1)):
            starts_at, ends_at = _interval(event)
            if starts_at >= last:
                break
            if ends_at <= first or ends_at <= starts_at or not _blocks(event, transparent_is_busy):
                continue
            busy = Busy(_uid(event), _recurrence_id(event), starts_at, ends_at)
            found[(busy.uid, busy.recurrence_id, starts_at, ends_at)] = busy
            if len(found) > max_occurrences:
                raise ParseError("too_many_events")
    except ParseError:
        raise
    except Exception as error:  # a series the library cannot expand even when skipping
        raise ParseError("invalid_file") from error
    return sorted(found.values(), key=lambda b: (b.starts_at, b.ends_at, b.uid))


def _blocks(event, transparent_is_busy: bool) -> bool:
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return False
    transparent = str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
    return transparent_is_busy or not transparent


def _as_utc(moment: date | datetime, *, end: bool = False) -> datetime:
    if not isinstance(moment, datetime):
        return local_to_utc(moment, time(0))  # a whole local day
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WARSAW)  # floating time, no X-WR-TIMEZONE
    return moment.astimezone(UTC)


def _interval(event) -> tuple[datetime, datetime]:
    start, end = event.start, event.end
    if not isinstance(start, datetime) and (not isinstance(end, date) or end <= start):
        end = start + timedelta(days=1)  # an all-day event whose end is not after its start
    elif isinstance(start, datetime) and not isinstance(end, datetime):
        end = start
    return _as_utc(start), _as_utc(end)


def _uid(event) -> str:
    return str(event.get("UID", ""))[:255]


def _recurrence_id(event) -> str | None:
    value = event.get("RECURRENCE-ID")
    if value is None:
        return None
    moment = value.dt
    if isinstance(moment, datetime):
        return _as_utc(moment).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")
