"""Single events: one booking or one shift as its own .ics, a Google Calendar link, and the .ics
sent with a confirmation e-mail. Pure functions (no request inside).

A single event carries the same UID and SEQUENCE as in the feeds (it is built by the same
functions), so adding it by hand and subscribing later gives one entry, not two, and a later
change in the feed updates the event that was added from the e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from flask import Response

from app.calendars.ical import CalendarEvent, build_calendar
from app.mail import Attachment

# METHOD:PUBLISH in the body and in the content type: mail clients offer "add to calendar"
# (METHOD:REQUEST would make them expect an invitation to answer).
ICS_MIMETYPE = "text/calendar; method=PUBLISH"
GOOGLE_TEMPLATE_URL = "https://calendar.google.com/calendar/render"
# Google cuts long links; the description is a courtesy, the .ics has everything.
GOOGLE_DETAILS_LIMIT = 1000


def single_calendar(name: str, events: Iterable[CalendarEvent]) -> bytes:
    # The calendar's name is one line (X-WR-CALNAME is not escaped like SUMMARY): a title
    # with a line break once made the sign-up itself fail.
    return build_calendar(" ".join(str(name).split()), events)


def _google_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event: CalendarEvent) -> str:
    """A "add to Google Calendar" link (the TEMPLATE action) for ``event``, times in UTC."""
    details = event.description or ""
    if event.url:
        details = f"{details}\n\n{event.url}" if details else event.url
    params = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{_google_time(event.start)}/{_google_time(event.end)}",
        "details": details[:GOOGLE_DETAILS_LIMIT],
        "location": event.location,
        "ctz": "Europe/Warsaw",
    }
    query = urlencode({k: v for k, v in params.items() if v}, quote_via=quote, safe="/")
    return f"{GOOGLE_TEMPLATE_URL}?{query}"


def ics_attachment(filename: str, name: str, events: Iterable[CalendarEvent]) -> Attachment:
    return Attachment(filename, ICS_MIMETYPE, single_calendar(name, events))


def ics_download(body: bytes, filename: str) -> Response:
    """An .ics to open or save (not a subscription): private, never cached by others."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = f"{ICS_MIMETYPE}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
