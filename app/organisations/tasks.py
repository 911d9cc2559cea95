"""Periodic jobs of the competence base (run by ``flask --app wsgi jobs worker``)."""

from __future__ import annotations

from app.jobs import periodic
from app.organisations.service import notify_stale_owners


@periodic(hour="7", minute="0")
def remind_stale_profiles() -> int:
    """Every morning at 7:00 (Warsaw): remind owners of profiles a year out of date; the same
    function as ``flask --app wsgi notify-stale-organisations``."""
    return notify_stale_owners()
