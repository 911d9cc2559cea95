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
