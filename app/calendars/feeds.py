"""Booking feeds: one query for the events, one aggregate query for the version.

Each occurrence is one VEVENT whose UID comes from the occurrence id and whose SEQUENCE is the
occurrence's change counter, so a moved or cancelled occurrence updates the right event. The
feed is built from plain rows (no ORM objects: a provider's feed holds thousands of events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import gettext as _

from app.calendars.http import FeedVersion
from app.calendars.ical import CalendarEvent, EventStatus, build_calendar, event_uid
from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    Space,
)

ICAL_STATUS = {
    BookingStatus.PENDING: EventStatus.TENTATIVE,
    BookingStatus.APPROVED: EventStatus.CONFIRMED,
    BookingStatus.NO_SHOW: EventStatus.CONFIRMED,
}
# Feeds show a year back and everything ahead; withdrawn occurrences for 90 days (as CANCELLED,
# so calendar apps remove them).
HISTORY = timedelta(days=365)
WITHDRAWN_HISTORY = timedelta(days=90)
WITHDRAWN_STATUSES = (BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.RELEASED)


def booking_uid(booking: Booking | int) -> str:
    return event_uid("booking", booking if isinstance(booking, int) else booking.id)


def _joined(statement: sa.Select) -> sa.Select:
    return (
        statement.select_from(Booking)
        .join(BookingSeries, Booking.series_id == BookingSeries.id)
        .join(Space, Booking.space_id == Space.id)
        .join(Provider, Space.provider_id == Provider.id)
        # Outer: the provider's own use has no organisation.
        .outerjoin(Organisation, BookingSeries.organisation_id == Organisation.id)
    )


def _in_feed(private: bool) -> list:
    """Which occurrences a feed shows. Public feeds: those holding the slot."""
    now = utcnow()
    conditions = [Booking.starts_at >= now - HISTORY]
    if not private:
        return [*conditions, Booking.status.in_(SLOT_HOLDING_STATUSES)]
    return [
        *conditions,
        sa.or_(
            Booking.status.in_((*SLOT_HOLDING_STATUSES, BookingStatus.PENDING)),
            sa.and_(
                Booking.status.in_(WITHDRAWN_STATUSES),
                Booking.updated_at >= now - WITHDRAWN_HISTORY,
            ),
        ),
    ]


def space_condition(space: Space):
    """A space's bookings, and those of the rooms sharing a smallest space with it (a hall
    booked as a whole is busy in each of its parts' feeds, and a part's booking in the
    hall's)."""
    from app.spaces.service.combined import sharing_spaces

    return Booking.space_id.in_(sharing_spaces([space.id])[space.id])


def provider_condition(provider: Provider):
    return Space.provider_id == provider.id


def organisation_condition(organisation: Organisation):
    return BookingSeries.organisation_id == organisation.id


def feed_version(key: str, condition, *, private: bool, owner_changed_at=None) -> FeedVersion:
    """Count and newest change of everything a feed's bytes are made of: the occurrences, their
    series (titles, purpose), spaces, providers and organisations (names in every event)."""
    row = db.session.execute(
        _joined(
            sa.select(
                sa.func.count(Booking.id),
                sa.func.max(Booking.updated_at),
                sa.func.max(BookingSeries.updated_at),
                sa.func.max(Space.updated_at),
                sa.func.max(Provider.updated_at),
                sa.func.max(Organisation.updated_at),
            )
        ).where(condition, *_in_feed(private))
    ).one()
    count, *stamps = row
    changed = [s for s in (*stamps, owner_changed_at) if s is not None]
    return FeedVersion(key, count, max(changed, default=None))


def _rows(condition, private: bool):
    return db.session.execute(
        _joined(
            sa.select(
                Booking.id,
                Booking.starts_at,
                Booking.ends_at,
                Booking.sequence,
                Booking.status,
                Booking.updated_at,
                BookingSeries.purpose,
                BookingSeries.is_public,
                BookingSeries.public_title,
                # The provider's own use has no organisation: the provider holds the slot.
                sa.func.coalesce(Organisation.name, Provider.name).label("organisation"),
                Space.name.label("space"),
                Space.address,
                Provider.name.label("provider"),
                # Hidden by city staff (app/moderation): said so in private feeds; a hidden
                # organisation's public titles are not shown to the public.
                (Space.hidden_at.is_not(None)).label("space_hidden"),
                (Organisation.hidden_at.is_not(None)).label("organisation_hidden"),
            )
        )
        .where(condition, *_in_feed(private))
        .order_by(Booking.starts_at, Booking.id)
    )


def _location(row) -> str:
    return _joined_location(row.space, row.provider, row.address)


@lru_cache(maxsize=4096)
def _joined_location(*parts: str | None) -> str:
    return ", ".join(part for part in parts if part)


def public_event(row, busy_label: str) -> CalendarEvent:
    """What anyone may see: the time, and the title only if the NGO made the event public (and
    city staff have not hidden the NGO's profile)."""
    shown = row.is_public and row.public_title and not row.organisation_hidden
    title = row.public_title if shown else busy_label
    return CalendarEvent(
        uid=booking_uid(row.id),
        start=row.starts_at,
        end=row.ends_at,
        summary=title,
        sequence=row.sequence,
        status=EventStatus.CONFIRMED,
        location=_location(row),
        last_modified=row.updated_at,
    )


@dataclass(frozen=True)
class _BookingRow:
    """A loaded booking in the shape of a feed row (for single events and mail attachments)."""

    id: int
    starts_at: object
    ends_at: object
    sequence: int
    status: BookingStatus
    updated_at: object
    purpose: str
    is_public: bool
    public_title: str
    organisation: str
    space: str
    address: str | None
    provider: str
    space_hidden: bool
    organisation_hidden: bool

    @classmethod
    def of(cls, booking: Booking) -> _BookingRow:
        series, space = booking.series, booking.space
        return cls(
            id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            sequence=booking.sequence,
            status=booking.status,
            updated_at=booking.updated_at,
            purpose=series.purpose,
            is_public=series.is_public,
            public_title=series.public_title,
            organisation=series.holder_name,
            space=space.name,
            address=space.address,
            provider=space.provider.name,
            space_hidden=space.hidden_at is not None,
            organisation_hidden=bool(series.organisation and series.organisation.hidden_at),
        )


def booking_event(booking: Booking) -> CalendarEvent:
    """The private feed's event for one loaded booking: same UID, SEQUENCE and text, so a
    downloaded .ics or a mail attachment and the feed describe one event."""
    return private_event(_BookingRow.of(booking))


def private_event(row) -> CalendarEvent:
    """The event as the booking's two sides see it (the provider, the organisation): a space
    city staff hid is still booked (hiding is about its public page, the provider still hosts),
    and the description says so."""
    public_title = row.public_title if row.is_public else ""
    lines = [row.purpose or "", public_title]
    if row.space_hidden:
        lines.insert(
            0,
            _(
                "Urząd Miasta ukrył stronę tej przestrzeni. Rezerwacja obowiązuje; o zmianach "
                "powiadomi udostępniający."
            ),
        )
    return CalendarEvent(
        uid=booking_uid(row.id),
        start=row.starts_at,
        end=row.ends_at,
        summary=f"{row.organisation}: {row.space}",
        sequence=row.sequence,
        status=ICAL_STATUS.get(row.status, EventStatus.CANCELLED),
        description="\n".join(line for line in lines if line),
        location=_location(row),
        last_modified=row.updated_at,
    )


def build_space_feed(space: Space) -> bytes:
    """Public feed of a space: slot-holding occurrences only, public titles only."""
    busy = _("Zajęte")
    return build_calendar(
        space.name,
        [public_event(row, busy) for row in _rows(space_condition(space), private=False)],
        description=_("Zajętość: %(space)s", space=space.name),
    )


def build_private_feed(name: str, condition) -> bytes:
    """Private feed (provider or organisation): full details."""
    return build_calendar(name, [private_event(row) for row in _rows(condition, private=True)])
