"""Periodic jobs of the spaces domain (the worker imports this module through the blueprint)."""

from __future__ import annotations

import logging

from app.jobs import periodic
from app.spaces import service

log = logging.getLogger(__name__)


@periodic(hour="6", minute="0")
def reconfirm_standing_bookings() -> dict[str, int]:
    """Every morning: ask standing bookings to re-confirm for a new term, release the ones
    whose deadline passed (``flask --app wsgi spaces reconfirm`` does the same by hand)."""
    result = service.run_reconfirmation()
    log.info("Re-confirmation: asked %(asked)s, released %(released)s", result)
    return result


@periodic(minute="15")
def send_booking_reminders() -> int:
    """Every hour: the reminder with "potwierdzam / zwalniam" for bookings beginning within
    48 hours (each sent once; see ``service.operations``)."""
    from app.spaces.service.operations import run_booking_reminders

    sent = run_booking_reminders()
    log.info("Booking reminders sent: %s", sent)
    return sent


@periodic(hour="7", minute="30")
def remind_providers_of_pending_requests() -> int:
    """Every morning: providers' managers are told of requests waiting longer than their
    setting (``Provider.pending_reminder_days``, else ``SPACES_PENDING_REMINDER_DAYS``)."""
    from app.spaces.service.operations import run_pending_reminders

    told = run_pending_reminders()
    log.info("Pending-request reminders: %s providers", told)
    return told
