"""Demo of day-to-day operations: CAL's no-show rule with one organisation banned after two
no-shows, a booking entered on behalf of an organisation (a phone call), CAL's own event, a
reminder sent for a booking within 48 hours, and a request waiting for days in a school of the
manager of three schools (the one inbox). Idempotent: added once, with CAL's own event."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.spaces.models import BookingSeries, BookingStatus, Provider, SpaceBan
from app.timeutil import local_today


def load(spaces, users, organisations) -> None:
    from app.spaces.demo import _next, _series

    if db.session.scalar(
        sa.select(BookingSeries.id).where(BookingSeries.own_use.is_(True)).limit(1)
    ):
        return
    cal = db.session.scalar(sa.select(Provider).where(Provider.slug == "cal-2-pietro"))
    cal.no_show_limit, cal.no_show_ban_days = 2, 90  # CAL's own rule
    senior = organisations["fundacja-razem-dla-seniora"]
    neighbours = organisations["stowarzyszenie-rubinkowo-sasiedzi"]
    young = organisations["fundacja-mlodzi-na-skarpie"]
    manager = users["cal_manager"]
    own = _series(
        spaces["cal-sala-konferencyjna"],
        None,
        manager,
        "Dzień otwarty CAL – prezentacja organizacji",
        _next(3),
        time(17),
        time(20),
        [BookingStatus.APPROVED],
        people=60,
        title="Dzień otwarty CAL 2.Piętro",
    )
    own.own_use = True
    phoned = _series(
        spaces["cal-pokoj-spotkan"],
        young,
        manager,
        "Spotkanie zarządu (zgłoszone telefonicznie)",
        _next(4),
        time(10),
        time(12),
        [BookingStatus.APPROVED],
        people=6,
    )
    phoned.on_behalf_via = "phone"
    soon = _series(
        spaces["cal-sala-konferencyjna"],
        senior,
        users["ngo_owner"],
        "Spotkanie klubu seniora",
        local_today() + timedelta(days=1),
        time(12),
        time(14),
        [BookingStatus.APPROVED],
        people=20,
    )
    for booking in soon.occurrences:
        booking.reminder_sent_at = utcnow()
    for weeks in (-6, -2):
        _series(
            spaces["cal-sala-warsztatowa"],
            neighbours,
            users["ngo_owner2"],
            "Warsztaty rękodzieła",
            _next(1, weeks),
            time(14),
            time(16),
            [BookingStatus.NO_SHOW],
            people=12,
        )
    db.session.add(
        SpaceBan(
            provider_id=cal.id,
            organisation_id=neighbours.id,
            starts_at=utcnow() - timedelta(days=14),
            ends_at=utcnow() + timedelta(days=76),
            reason="2 nieobecności bez zwolnienia terminu w ciągu roku.",
        )
    )
    waiting = _series(
        spaces["sp24-swietlica"],
        senior,
        users["ngo_owner"],
        "Zajęcia plastyczne dla seniorów",
        _next(2, 2),
        time(16),
        time(18),
        [BookingStatus.PENDING],
        people=14,
    )
    waiting.created_at = utcnow() - timedelta(days=6)
