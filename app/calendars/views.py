"""iCal feeds: public per space, private (secret token URL) per provider and per organisation."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app import permissions
from app.calendars.blueprint import bp
from app.calendars.feeds import build_private_feed, build_space_feed
from app.calendars.service import feed_token, ical_response, rotate_feed_token, scope_for_token
from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render, see_other
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    Space,
)
from app.unit_of_work import writes

# Feeds show a year back and everything ahead; withdrawn occurrences for 90 days.
HISTORY = timedelta(days=365)
WITHDRAWN_HISTORY = timedelta(days=90)
FEED_STATUSES = (
    *SLOT_HOLDING_STATUSES,
    BookingStatus.PENDING,
    BookingStatus.CANCELLED,
    BookingStatus.DECLINED,
    BookingStatus.RELEASED,
)


def _bookings(*conditions) -> list[Booking]:
    now = utcnow()
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(BookingSeries)
            .join(Space, Booking.space_id == Space.id)
            .options(
                selectinload(Booking.series).selectinload(BookingSeries.organisation),
                selectinload(Booking.space).selectinload(Space.provider),
            )
            .where(*conditions, Booking.starts_at >= now - HISTORY)
            .where(
                sa.or_(
                    Booking.status.in_((*SLOT_HOLDING_STATUSES, BookingStatus.PENDING)),
                    sa.and_(
                        Booking.status.in_(FEED_STATUSES),
                        Booking.updated_at >= now - WITHDRAWN_HISTORY,
                    ),
                )
            )
            .order_by(Booking.starts_at)
        )
    )


@bp.get("/przestrzen/<slug>.ics")
def space_feed(slug: str):
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug, Space.active.is_(True)))
    if space is None:
        abort(404)
    bookings = _bookings(Booking.space_id == space.id, Booking.status.in_(SLOT_HOLDING_STATUSES))
    return ical_response(build_space_feed(space, bookings), f"{space.slug}.ics")


@bp.get("/prywatny/<token>.ics")
def private_feed(token: str):
    scope = scope_for_token(token)
    if scope is None:
        abort(404)
    kind, _sep, ident = scope.partition(":")
    if kind == "provider":
        provider = db.session.get(Provider, int(ident))
        if provider is None:
            abort(404)
        body = build_private_feed(provider.name, _bookings(Space.provider_id == provider.id))
    elif kind == "organisation":
        organisation = db.session.get(Organisation, int(ident))
        if organisation is None:
            abort(404)
        body = build_private_feed(
            organisation.name, _bookings(BookingSeries.organisation_id == organisation.id)
        )
    else:
        abort(404)
    return ical_response(body, "rezerwacje.ics")


@bp.get("/")
@login_required
@writes  # a feed token is made on the first visit
def index():
    """The current user's private feed links (the token is the secret)."""
    feeds = []
    for organisation in permissions.user_organisations(current_user):
        feeds.append((organisation.name, f"organisation:{organisation.id}"))
    for provider in permissions.user_providers(current_user):
        feeds.append((provider.name, f"provider:{provider.id}"))
    links = [
        (name, scope, url_for("calendars.private_feed", token=feed_token(scope), _external=True))
        for name, scope in feeds
    ]
    return render("calendars/index.html", links=links)


@bp.post("/nowy-link")
@login_required
def rotate():
    scope = request.form.get("scope", "")
    kind, _sep, ident = scope.partition(":")
    allowed = False
    if kind == "organisation" and ident.isdigit():
        organisation = db.session.get(Organisation, int(ident))
        allowed = organisation is not None and permissions.is_member(current_user, organisation)
    elif kind == "provider" and ident.isdigit():
        provider = db.session.get(Provider, int(ident))
        allowed = provider is not None and permissions.manages_provider(current_user, provider)
    if not allowed:
        abort(403)
    rotate_feed_token(scope)
    flash(_("Utworzono nowy link. Stary przestał działać."), "success")
    return see_other(url_for("calendars.index"))
