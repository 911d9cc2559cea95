"""School terms and the re-confirmation of standing bookings each term."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.spaces.models import (  # noqa: F401 (re-exported)
    OPEN_STATUSES,
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    Provider,
    ProviderManager,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
    term_bounds,
    term_of,
)
from app.spaces.service.bookings import _set_status, booking_transaction
from app.spaces.service.notifications import _mail_organisation, _notify_series
from app.timeutil import local_to_utc, local_today

# --- terms and re-confirmation ---------------------------------------------------------------


RECONFIRM_DAYS = 14


def confirm_for_term(series: BookingSeries, actor, *, today: date | None = None) -> None:
    today = today or local_today()
    with booking_transaction():
        series.confirmed_term = term_of(today)
        series.reconfirm_deadline = None


def run_reconfirmation(*, today: date | None = None) -> dict[str, int]:
    """Daily (cron): standing weekly bookings not confirmed for the current term are asked to
    re-confirm; after ``RECONFIRM_DAYS`` their future occurrences are released with notice."""
    today = today or local_today()
    term = term_of(today)
    start_of_today = local_to_utc(today, time(0))
    asked = released = 0
    with booking_transaction():
        series_list = db.session.scalars(
            sa.select(BookingSeries)
            .where(
                BookingSeries.recurrence != Recurrence.ONCE,
                sa.or_(
                    BookingSeries.confirmed_term.is_(None), BookingSeries.confirmed_term != term
                ),
                BookingSeries.occurrences.any(
                    sa.and_(Booking.status.in_(OPEN_STATUSES), Booking.starts_at >= start_of_today)
                ),
            )
            .order_by(BookingSeries.id)
        ).all()
        for series in series_list:
            if series.reconfirm_deadline is None:
                series.reconfirm_deadline = today + timedelta(days=RECONFIRM_DAYS)
                _mail_organisation(
                    series,
                    _l("Potwierdź stałą rezerwację na nowy semestr"),
                    "spaces/mail/reconfirm.txt",
                    topic=f"reconfirm:{series.id}:{term}",
                )
                asked += 1
            elif series.reconfirm_deadline < today:
                future = [
                    b
                    for b in series.occurrences
                    if b.status in OPEN_STATUSES and b.starts_at >= start_of_today
                ]
                reason = _("Nie potwierdzono stałej rezerwacji na nowy semestr.")
                for booking in future:
                    _set_status(booking, BookingStatus.RELEASED, None, reason)
                series.reconfirm_deadline = None
                series.confirmed_term = term
                _notify_series(future, "released", reason, to_provider=True)
                released += 1
    return {"asked": asked, "released": released}
