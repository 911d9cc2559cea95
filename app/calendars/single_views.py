"""Single bookings as .ics downloads and Google Calendar links ("Dodaj do kalendarza").

Booking details are private: only the organisation's members, the provider's managers (and
staff, who see the booking page too) get them; anyone else gets 404, as on the booking page.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.calendars.blueprint import bp
from app.calendars.feeds import booking_event
from app.calendars.single import google_calendar_url, ics_download, single_calendar
from app.extensions import db
from app.spaces.models import Booking, BookingSeries, BookingStatus


def may_see_series(user, series: BookingSeries) -> bool:
    return (
        permissions.is_member(user, series.organisation)
        or permissions.manages_provider(user, series.space.provider)
        or permissions.is_staff(user)
    )


def calendar_bookings(series: BookingSeries) -> list[Booking]:
    """What a download of the whole series holds: occurrences that hold or wait for the slot."""
    return [b for b in series.occurrences if b.holds_slot or b.status == BookingStatus.PENDING]


@bp.get("/terminy/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None or not may_see_series(current_user, booking.series):
        abort(404)
    body = single_calendar(booking.space.name, [booking_event(booking)])
    return ics_download(body, f"rezerwacja-{booking.id}.ics")


@bp.get("/rezerwacje/<int:series_id>.ics")
@login_required
def series_ics(series_id: int):
    series = db.session.get(BookingSeries, series_id)
    if series is None or not may_see_series(current_user, series):
        abort(404)
    events = [booking_event(b) for b in calendar_bookings(series)]
    body = single_calendar(_("Rezerwacja: %(space)s", space=series.space.name), events)
    return ics_download(body, f"rezerwacja-seria-{series.id}.ics")


@bp.app_template_global()
def booking_calendar_links(booking: Booking) -> dict[str, str]:
    """The .ics link and the Google Calendar link of one occurrence (for the booking page)."""
    return {
        "ics": url_for("calendars.booking_ics", booking_id=booking.id),
        "google": google_calendar_url(booking_event(booking)),
    }
