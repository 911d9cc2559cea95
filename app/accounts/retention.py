"""Retention: personal data kept only for a while is removed by a nightly job (03:30 Warsaw
time) and by ``flask --app wsgi purge-personal-data``. Each domain registers its purger
(``app.accounts.privacy.register_purger``); the periods are settings
(``PERSONAL_DATA_RETENTION_DAYS``, ``DECLINED_REQUEST_RETENTION_DAYS``, ``OUTBOX_RETENTION_DAYS``).
Every purger only touches rows that still hold the data, so a second run changes nothing."""

from __future__ import annotations

import logging
from datetime import datetime

import click

from app.accounts import privacy
from app.accounts.blueprint import bp
from app.db import utcnow
from app.jobs import periodic
from app.mail import purge_old_bodies
from app.unit_of_work import transaction

log = logging.getLogger(__name__)

privacy.register_purger("outbox", purge_old_bodies)


def purge_personal_data(now: datetime | None = None) -> dict[str, int]:
    """Run every purger, each in its own transaction (one failing keeps the others' work)."""
    now = now or utcnow()
    result = {}
    for name, purger in sorted(privacy.purgers().items()):
        with transaction():
            result[name] = purger(now)
    log.info("Personal data purged: %s", result)
    return result


@periodic(hour="3", minute="30")
def purge_personal_data_job() -> dict[str, int]:
    """Every night: the retention purge."""
    return purge_personal_data()


@bp.cli.command("purge-personal-data")
def purge_command():
    """Remove personal data past its retention period (RODO)."""
    for name, count in purge_personal_data().items():
        click.echo(f"{name}: {count}")
