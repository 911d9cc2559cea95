"""School terms and the re-confirmation of standing bookings each term.

``run_reconfirmation`` is the daily job (``app/spaces/tasks.py``) and the command
``flask --app wsgi spaces reconfirm``: one short transaction per series, so a crash half-way
keeps what was done, and a second run the same day asks and releases nothing again.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.spaces.models import (  # noqa: F401 (term_bounds, term_of: re-exported)
    OPEN_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Recurrence,
    term_bounds,
    term_of,
)
from app.spaces.service.bookings import lock_space, set_status
from app.spaces.service.notifications import mail_organisation, notify_series
from app.timeutil import local_to_utc, local_today, to_local
from app.unit_of_work import transaction

RECONFIRM_DAYS = 14

NOT_RECONFIRMED = _l("Nie potwierdzono stałej rezerwacji na nowy semestr.")


def confirm_for_term(series: BookingSeries, actor, *, today: date | None = None) -> None:
    today = today or local_today()
    lock_space(series.space_id)  # not at the same moment as the daily job's release
    db.session.refresh(series)
    series.confirmed_term = term_of(today)
    series.reconfirm_deadline = None
    db.session.flush()


def _unconfirmed(series_query, term: str, start_of_today):
    """Standing series not confirmed for ``term``. A round's series were allocated for the
    whole season (``horizon_until``, its last day): not asked again each term until then."""
    return series_query.where(
        BookingSeries.recurrence != Recurrence.ONCE,
        sa.or_(
            BookingSeries.horizon_until.is_(None),
            BookingSeries.horizon_until < to_local(start_of_today).date(),
        ),
        sa.or_(BookingSeries.confirmed_term.is_(None), BookingSeries.confirmed_term != term),
        BookingSeries.occurrences.any(
            sa.and_(Booking.status.in_(OPEN_STATUSES), Booking.starts_at >= start_of_today)
        ),
    )


def run_reconfirmation(*, today: date | None = None) -> dict[str, int]:
    """Daily: standing weekly bookings not confirmed for the current term are asked to
    re-confirm; after ``RECONFIRM_DAYS`` their future occurrences are released with notice.
    Outside a request: each series in its own ``transaction()``."""
    today = today or local_today()
    term = term_of(today)
    start_of_today = local_to_utc(today, time(0))
    series_ids = db.session.scalars(
        _unconfirmed(sa.select(BookingSeries.id), term, start_of_today).order_by(BookingSeries.id)
    ).all()
    counts = {"asked": 0, "released": 0}
    for series_id in series_ids:
        with transaction():
            outcome = reconfirm_series(series_id, today)
        if outcome:
            counts[outcome] += 1
    return counts


def reconfirm_series(series_id: int, today: date) -> str | None:
    """Ask one series to re-confirm, or release it after the deadline: ``"asked"``,
    ``"released"`` or None (confirmed meanwhile, or still within the deadline)."""
    term = term_of(today)
    start_of_today = local_to_utc(today, time(0))
    space_id = db.session.scalar(
        sa.select(BookingSeries.space_id).where(BookingSeries.id == series_id)
    )
    if space_id is None:
        return None
    lock_space(space_id)
    # Read again under the lock: the NGO may have confirmed while we were queued.
    series = db.session.scalar(
        _unconfirmed(sa.select(BookingSeries), term, start_of_today)
        .where(BookingSeries.id == series_id)
        .execution_options(populate_existing=True)
    )
    if series is None:
        return None
    if series.reconfirm_deadline is None:
        series.reconfirm_deadline = today + timedelta(days=RECONFIRM_DAYS)
        mail_organisation(
            series,
            _l("Potwierdź stałą rezerwację na nowy semestr"),
            "spaces/mail/reconfirm.txt",
            topic=f"reconfirm:{series.id}:{term}",
        )
        db.session.flush()
        return "asked"
    if series.reconfirm_deadline >= today:
        return None
    future = db.session.scalars(
        sa.select(Booking)
        .where(
            Booking.series_id == series.id,
            Booking.status.in_(OPEN_STATUSES),
            Booking.starts_at >= start_of_today,
        )
        .order_by(Booking.starts_at)
        .execution_options(populate_existing=True)
    ).all()
    # Stored in the history and shown to both sides: in the site's language, as no one's
    # request chose another (a job has no request).
    with force_locale("pl"):
        reason = str(NOT_RECONFIRMED)
    for booking in future:
        set_status(booking, BookingStatus.RELEASED, None, reason)
    series.reconfirm_deadline = None
    series.confirmed_term = term
    db.session.flush()
    notify_series(future, "released", reason, to_provider=True)
    return "released"
