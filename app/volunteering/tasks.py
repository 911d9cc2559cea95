"""The periodic jobs of the volunteering board (Warsaw time), run by the job worker; the
``send-reminders`` and ``send-digest`` commands run the same functions by hand."""

from __future__ import annotations

import logging

from flask import current_app

from app.extensions import db
from app.jobs import periodic
from app.unit_of_work import transaction
from app.volunteering import listing, service

log = logging.getLogger(__name__)


def _links_possible() -> bool:
    """E-mails carry absolute links; outside a request Flask builds them from SERVER_NAME."""
    if current_app.config.get("SERVER_NAME"):
        return True
    log.error("SERVER_NAME is not set: volunteering mails with links cannot be built")
    return False


@periodic(hour="18", minute="0")
def send_reminders() -> tuple[int, int]:
    """Every evening: tomorrow's shifts, and applications waiting three days for an answer."""
    if not _links_possible():
        return (0, 0)
    return service.send_reminders(), service.send_unanswered_reminders()


@periodic(day_of_week="1", hour="8", minute="0")
def send_digest() -> int:
    """Monday morning: new matching offers for the volunteers who asked for them."""
    if not _links_possible():
        return 0
    return service.send_digests()


@periodic(minute="*/10")
def refresh_listing() -> int:
    """Every ten minutes: offers whose next shift has ended since their list columns were kept
    get them recomputed (between runs the list works their next start out from the shifts)."""
    with transaction():
        return listing.refresh_stale(db.session)
