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


def public_events(
    *, area: str = "", district: str = "", now: datetime | None = None
) -> list[CalendarEvent]:
    """The events of the public calendar, optionally of one area (sphere of public benefit) and
    one district (the list's codes): published shifts as ``public_shift_event`` builds them,
    read as plain rows (ORM objects of every shift and offer were 70 % of a 3,000-event feed;
    tests/volunteering/reference_calendar.py is the old way) with one ``url_for`` per feed."""
    from app.organisations.models import Organisation

    query = (
        sa.select(
            Shift.id,
            Shift.starts_at,
            Shift.ends_at,
            Shift.sequence,
            Shift.cancelled_at,
            Shift.note,
            Shift.updated_at,
            Opportunity.id,
            Opportunity.title,
            Opportunity.address,
            Organisation.name,
        )
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .join(Organisation, Opportunity.organisation_id == Organisation.id)
        .where(*_public_conditions(area, district, now))
        .order_by(Shift.starts_at, Shift.id)
        .limit(PUBLIC_LIMIT)
    )
    url = _opportunity_url_builder()
    confirmed, cancelled = EventStatus.CONFIRMED, EventStatus.CANCELLED
    return [
        CalendarEvent(
            uid=event_uid("shift", shift_id),
            start=starts_at,
            end=ends_at,
            summary=f"{title} – {organisation}",
            sequence=sequence,
            status=cancelled if cancelled_at else confirmed,
            description=note,
            location=address,
            url=url(opportunity_id),
            last_modified=updated_at,
        )
        for (
            shift_id, starts_at, ends_at, sequence, cancelled_at, note, updated_at,
            opportunity_id, title, address, organisation,
        ) in db.session.execute(query)
    ]  # fmt: skip


_URL_MARK = 987654321987


def _opportunity_url_builder():
    """``_opportunity_url`` for any id from one ``url_for``: the route's id is a plain integer
    segment, so the URL of another id is the same text around it."""
    pattern = url_for("volunteering.opportunity", opportunity_id=_URL_MARK, _external=True)
    head, mark, tail = pattern.rpartition(str(_URL_MARK))
    if not mark or str(_URL_MARK) in head:
        return lambda opportunity_id: url_for(
            "volunteering.opportunity", opportunity_id=opportunity_id, _external=True
        )
    return lambda opportunity_id: f"{head}{opportunity_id}{tail}"


def public_version(*, area: str = "", district: str = "", now: datetime | None = None):
    """The public calendar's validator without reading the shifts it lists: a handful of
    index seeks, so a poll that changes nothing is answered 304 in a few milliseconds.

    What the feed's bytes depend on, for every area and district at once (a change anywhere
    changes every filtered feed's ETag too, never the other way round):
    - every shift, offer and organisation row: their count (a deleted shift; deleting an offer
      or an organisation deletes its shifts) and newest ``updated_at`` (every ORM write and the
      bulk UPDATEs of shifts set it);
    - the clock: a shift leaves when it ended ``PUBLIC_HISTORY`` ago, a cancelled one when it
      was cancelled ``CANCELLED_HISTORY`` ago. The next shift to leave either way is in the key,
      so the ETag changes when it leaves; the last one that left dates Last-Modified.
    """
    from app.calendars.http import FeedVersion
    from app.organisations.models import Organisation

    now = now or utcnow()
    history, cancelled_history = now - PUBLIC_HISTORY, now - CANCELLED_HISTORY
    cancelled = Shift.cancelled_at.is_not(None)

    def one(expression, *where):
        return sa.select(expression).where(*where).scalar_subquery()

    row = db.session.execute(
        sa.select(
            one(sa.func.count(Shift.id)),
            one(sa.func.max(Shift.updated_at)),
            one(sa.func.max(Opportunity.updated_at)),
            one(sa.func.max(Organisation.updated_at)),
            one(sa.func.min(Shift.ends_at), Shift.ends_at > history),
            one(sa.func.max(Shift.ends_at), Shift.ends_at <= history),
            one(sa.func.min(Shift.updated_at), cancelled, Shift.updated_at >= cancelled_history),
            one(sa.func.max(Shift.updated_at), cancelled, Shift.updated_at < cancelled_history),
        )
    ).one()
    count, shift_stamp, offer_stamp, organisation_stamp = row[:4]
    next_out, last_out, next_cancelled_out, last_cancelled_out = row[4:]
    left = [
        last_out + PUBLIC_HISTORY if last_out else None,
        last_cancelled_out + CANCELLED_HISTORY if last_cancelled_out else None,
    ]
    stamps = [shift_stamp, offer_stamp, organisation_stamp, *left]
    edges = ":".join(t.isoformat() if t else "-" for t in (next_out, next_cancelled_out))
    key = f"volunteering:{area}:{district}:{edges}"
    return FeedVersion(key, count, max(filter(None, stamps), default=None))


def own_signup(user, shift: Shift) -> Signup | None:
    """``user``'s sign-up for ``shift`` (None for a visitor or without one)."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == user.id)
    )
