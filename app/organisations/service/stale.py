"""Profiles nobody updated for 12 months: their owners are reminded once per stale period.

``notify_stale_owners`` is what the daily job (app/organisations/tasks.py) and the command
``flask --app wsgi notify-stale-organisations`` run. Each organisation is handled in its own
short transaction, so a crash half-way keeps the reminders already queued; a reminder is queued
only when the outbox holds none for the same stale period (its ``topic``), so a second run, or
a run after a crash, sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.extensions import db
from app.mail import OutboxMessage, send_mail
from app.organisations.models import STALE_AFTER, Organisation
from app.organisations.service.membership import owners
from app.unit_of_work import transaction


def stale_organisations(now: datetime | None = None) -> list[Organisation]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.profile_updated_at < now - STALE_AFTER)
            .order_by(Organisation.id)
        )
    )


def stale_topic(organisation: Organisation) -> str:
    """The outbox topic of the reminder for the organisation's current stale period: a profile
    updated since then (and stale again a year later) gets a new one."""
    return f"org-stale:{organisation.id}:{organisation.profile_updated_at:%Y%m%dT%H%M%S}"


def lock_organisation(organisation_id: int) -> Organisation | None:
    """The organisation's row, locked until the transaction ends (PostgreSQL; on SQLite the
    writing transaction already excludes other writers)."""
    return db.session.scalar(
        sa.select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    )


def notify_stale_organisation(organisation_id: int, now: datetime | None = None) -> int:
    """Queue the reminder to each owner of one stale profile unless it was queued already;
    returns how many were queued. Runs in the caller's transaction."""
    now = now or utcnow()
    organisation = lock_organisation(organisation_id)
    if organisation is None or now - organisation.profile_updated_at <= STALE_AFTER:
        return 0
    notified = organisation.stale_notified_at
    if notified is not None and notified > organisation.profile_updated_at:
        return 0  # reminded in this stale period (before the outbox kept topics too)
    topic = stale_topic(organisation)
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.topic == topic).limit(1)):
        return 0
    sent = 0
    for owner in owners(organisation):
        send_mail(
            owner.email,
            _l("Zaktualizuj profil organizacji %(name)s", name=organisation.name),
            "organisations/mail/stale_profile.txt",
            locale=owner.locale,
            topic=topic,
            organisation=organisation,
            link=url_for("organisations.edit", slug=organisation.slug, _external=True),
        )
        sent += 1
    organisation.stale_notified_at = now
    db.session.flush()
    return sent


def notify_stale_owners(now: datetime | None = None) -> int:
    """E-mail the owners of profiles not updated for 12 months, once per stale period; one
    transaction per organisation. Returns how many reminders were queued."""
    ids = [organisation.id for organisation in stale_organisations(now)]
    sent = 0
    for organisation_id in ids:
        with transaction():
            sent += notify_stale_organisation(organisation_id, now)
    return sent
