"""Booking feeds: pure builders from occurrences to iCalendar bytes (no request inside).

Each occurrence is one VEVENT whose UID comes from the occurrence id and whose SEQUENCE is the
occurrence's change counter, so a moved or cancelled occurrence updates the right event.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from app.calendars.ical import CalendarEvent, EventStatus, build_calendar, event_uid
from app.spaces.models import Booking, BookingStatus, Space

ICAL_STATUS = {
    BookingStatus.PENDING: EventStatus.TENTATIVE,
    BookingStatus.APPROVED: EventStatus.CONFIRMED,
    BookingStatus.NO_SHOW: EventStatus.CONFIRMED,
}


def booking_uid(booking: Booking) -> str:
    return event_uid("booking", booking.id)


def _location(space: Space) -> str:
    return ", ".join(p for p in (space.name, space.provider.name, space.address) if p)


def public_event(booking: Booking) -> CalendarEvent:
    """What anyone may see: the time, and the title only if the NGO made the event public."""
    series = booking.series
    summary = series.public_title if series.is_public and series.public_title else _("Zajęte")
    return CalendarEvent(
        uid=booking_uid(booking),
        start=booking.starts_at,
        end=booking.ends_at,
        summary=summary,
        sequence=booking.sequence,
        status=EventStatus.CONFIRMED,
        location=_location(booking.space),
        last_modified=booking.updated_at,
    )


def private_event(booking: Booking) -> CalendarEvent:
    series = booking.series
    return CalendarEvent(
        uid=booking_uid(booking),
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"{series.organisation.name}: {booking.space.name}",
        sequence=booking.sequence,
        status=ICAL_STATUS.get(booking.status, EventStatus.CANCELLED),
        description="\n".join(
            filter(None, [series.purpose, series.public_title if series.is_public else ""])
        ),
        location=_location(booking.space),
        last_modified=booking.updated_at,
    )


def build_space_feed(space: Space, bookings: Iterable[Booking]) -> bytes:
    """Public feed of a space: slot-holding occurrences only, public titles only."""
    return build_calendar(
        space.name,
        [public_event(b) for b in bookings if b.holds_slot],
        description=_("Zajętość: %(space)s", space=space.name),
    )


def build_private_feed(name: str, bookings: Iterable[Booking]) -> bytes:
    """Private feed (provider or organisation): full details; withdrawn occurrences stay in
    the feed as CANCELLED so calendar apps remove them."""
    return build_calendar(name, [private_event(b) for b in bookings])
