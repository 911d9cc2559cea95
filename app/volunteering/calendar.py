"""Shifts as calendar events: the volunteer's own (private feed, single .ics, the sign-up mail)
and the public calendar of published shifts (filterable by area and district).

The same functions build an event wherever it appears, so its UID and SEQUENCE agree between a
feed, a downloaded .ics and a mail attachment. Public events carry only what the offer page
shows to anyone: no volunteer names, no counts of who signed up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.calendars.ical import CalendarEvent, EventStatus, event_uid
from app.db import utcnow
from app.extensions import db
from app.volunteering.models import (
    Opportunity,
    Shift,
    Signup,
    SignupStatus,
)

# The public calendar: a month back, everything ahead; cancelled shifts stay as CANCELLED for
# 90 days so subscribed calendars remove them. A cap keeps one request bounded.
PUBLIC_HISTORY = timedelta(days=30)
CANCELLED_HISTORY = timedelta(days=90)
PUBLIC_LIMIT = 3000


def _summary(opportunity: Opportunity) -> str:
    return f"{opportunity.title} – {opportunity.organisation.name}"


def _opportunity_url(opportunity: Opportunity) -> str:
    return url_for("volunteering.opportunity", opportunity_id=opportunity.id, _external=True)


def signup_event(signup: Signup) -> CalendarEvent | None:
    """The volunteer's own event for ``signup`` (as in their private feed); None while
    waitlisted (no place held, nothing to put in a calendar)."""
    if signup.status == SignupStatus.WAITLISTED:
        return None
    shift = signup.shift
    opportunity = shift.opportunity
    status = EventStatus.CANCELLED
    summary, description = _summary(opportunity), shift.note
    if signup.holds_place and shift.cancelled_at is None:
        status = (
            EventStatus.CONFIRMED
            if signup.status == SignupStatus.ACCEPTED
            else EventStatus.TENTATIVE
        )
        if opportunity.hidden_at is not None:
            # Hidden by city staff: on hold (not cancelled: staff may restore it, and the
            # organisation still answers for it), and said so (the offer's page is gone).
            status = EventStatus.TENTATIVE
            summary = _("Wstrzymane: %(title)s", title=summary)
            description = "\n".join(filter(None, (on_hold_note(), shift.note)))
    return CalendarEvent(
        uid=event_uid("volunteer-shift", shift.id, signup.id),
        start=shift.starts_at,
        end=shift.ends_at,
        summary=summary,
        # The shift's own changes (hiding and restoring its offer too) plus this sign-up's.
        sequence=shift.sequence + len(signup.events),
        status=status,
        description=description,
        location=opportunity.address,
        url=None if opportunity.hidden_at else _opportunity_url(opportunity),
        last_modified=max(shift.updated_at, signup.updated_at),
    )


def on_hold_note() -> str:
    return _(
        "Urząd Miasta ukrył tę ofertę do wyjaśnienia. Zanim przyjdziesz, sprawdź wiadomości "
        "od organizacji albo zapytaj ją, czy dyżur się odbędzie."
    )


def shift_uid(shift: Shift) -> str:
    return event_uid("shift", shift.id)


def public_shift_event(shift: Shift) -> CalendarEvent:
    """A published shift as anyone may see it (the public calendar and the offer page)."""
    opportunity = shift.opportunity
    return CalendarEvent(
        uid=shift_uid(shift),
        start=shift.starts_at,
        end=shift.ends_at,
        summary=_summary(opportunity),
        sequence=shift.sequence,
        status=EventStatus.CANCELLED if shift.cancelled_at else EventStatus.CONFIRMED,
        description=shift.note,
        location=opportunity.address,
        url=_opportunity_url(opportunity),
        last_modified=shift.updated_at,
    )


def _public_conditions(area: str, district: str, now: datetime | None) -> list:
    now = now or utcnow()
    conditions = [
        Opportunity.public(),
        Shift.ends_at > now - PUBLIC_HISTORY,
        sa.or_(Shift.cancelled_at.is_(None), Shift.updated_at >= now - CANCELLED_HISTORY),
    ]
    if area:
        conditions.append(Opportunity.sphere == area)
    if district:
        conditions.append(Opportunity.district == district)
    return conditions


def public_shifts(
    *, area: str = "", district: str = "", now: datetime | None = None
) -> list[Shift]:
    """Shifts of published offers for the public calendar, optionally of one area (sphere of
    public benefit) and one district (the same codes as the list's filters)."""
    query = (
        sa.select(Shift)
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .options(selectinload(Shift.opportunity).selectinload(Opportunity.organisation))
        .where(*_public_conditions(area, district, now))
        .order_by(Shift.starts_at, Shift.id)
        .limit(PUBLIC_LIMIT)
    )
    return list(db.session.scalars(query))


def public_version(*, area: str = "", district: str = "", now: datetime | None = None):
    """Count and newest change of what the public calendar is made of (for its ETag)."""
    from app.calendars.http import FeedVersion
    from app.organisations.models import Organisation

    count, *stamps = db.session.execute(
        sa.select(
            sa.func.count(Shift.id),
            sa.func.max(Shift.updated_at),
            sa.func.max(Opportunity.updated_at),
            sa.func.max(Organisation.updated_at),
        )
        .select_from(Shift)
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .join(Organisation, Opportunity.organisation_id == Organisation.id)
        .where(*_public_conditions(area, district, now))
    ).one()
    key = f"volunteering:{area}:{district}"
    return FeedVersion(key, count, max(filter(None, stamps), default=None))


def own_signup(user, shift: Shift) -> Signup | None:
    """``user``'s sign-up for ``shift`` (None for a visitor or without one)."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == user.id)
    )
