"""Periodic jobs of the accounts domain (the worker imports this module through the blueprint)."""

from __future__ import annotations

from app.accounts.sessions import purge_ended_sessions
from app.jobs import periodic
from app.unit_of_work import transaction


@periodic(hour="4", minute="10")
def purge_sessions() -> int:
    """Daily at 04:10 Warsaw time: forget sessions that ended more than 30 days ago."""
    with transaction():
        return purge_ended_sessions()
