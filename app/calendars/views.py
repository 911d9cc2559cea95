"""iCal feeds: public per space, private (one secret link per person) per provider and per
organisation; the page where people take and renew their links."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.accounts.models import User
from app.calendars import feeds
from app.calendars.blueprint import bp
from app.calendars.http import feed_response
from app.calendars.models import FeedToken
from app.calendars.service import (
    feed_token,
    organisation_scope,
    provider_scope,
    rotate_feed_token,
    token_for,
    volunteer_scope,
)
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render, see_other
from app.spaces.models import Provider, Space
from app.unit_of_work import writes


@bp.get("/przestrzen/<slug>.ics")
def space_feed(slug: str):
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug, Space.listed()))
    if space is None:
        abort(404)
    version = feeds.feed_version(
        f"space:{space.id}",
        feeds.space_condition(space),
        private=False,
        owner_changed_at=space.updated_at,
    )
    return feed_response(
        version, lambda: feeds.build_space_feed(space), f"{space.slug}.ics", public=True
    )


def _private_calendar(token: FeedToken):
    """(name, feed condition, owner's last change) of a token's calendar, or None when its holder
    no longer has the role the link was issued for (the link dies with the role)."""
    kind, _sep, ident = token.scope.partition(":")
    holder = db.session.get(User, token.holder_id)
    if not ident.isdigit() or holder is None:
        return None
    if kind == "provider":
        provider = db.session.get(Provider, int(ident))
        if provider is None or not permissions.manages_provider(holder, provider):
            return None
        return provider.name, feeds.provider_condition(provider), provider.updated_at
    if kind == "organisation":
        organisation = db.session.get(Organisation, int(ident))
        if organisation is None or not permissions.is_member(holder, organisation):
            return None
        return (
            organisation.name,
            feeds.organisation_condition(organisation),
            organisation.updated_at,
        )
    return None


@bp.get("/prywatny/<token>.ics")
def private_feed(token: str):
    found = token_for(token)
    calendar = _private_calendar(found) if found is not None else None
    if calendar is None:
        abort(404)
    name, condition, owner_changed_at = calendar
    version = feeds.feed_version(
        f"token:{found.id}", condition, private=True, owner_changed_at=owner_changed_at
    )
    return feed_response(
        version,
        lambda: feeds.build_private_feed(name, condition),
        "rezerwacje.ics",
        public=False,
    )


def _my_calendars() -> list[tuple[str, str, str]]:
    """(title, scope, endpoint) of every private calendar the current user may subscribe to."""
    calendars = [(_("Mój wolontariat"), volunteer_scope(current_user.id), "volunteering.ical_feed")]
    for organisation in permissions.user_organisations(current_user):
        calendars.append(
            (organisation.name, organisation_scope(organisation.id), "calendars.private_feed")
        )
    for provider in permissions.user_providers(current_user):
        calendars.append((provider.name, provider_scope(provider.id), "calendars.private_feed"))
    return calendars


@bp.get("/")
@login_required
@writes  # a person's feed tokens are made on their first visit
def index():
    """The current user's own private feed links (each link is that person's secret)."""
    links = [
        (
            title,
            scope,
            url_for(endpoint, token=feed_token(scope, current_user.id), _external=True),
        )
        for title, scope, endpoint in _my_calendars()
    ]
    return render("calendars/index.html", links=links)


@bp.post("/nowy-link")
@login_required
def rotate():
    """Renew the current user's own link to one calendar; colleagues' links keep working."""
    scope = request.form.get("scope", "")
    if scope not in {scope for _title, scope, _endpoint in _my_calendars()}:
        abort(403)
    rotate_feed_token(scope, current_user.id)
    flash(_("Utworzono nowy link. Stary przestał działać."), "success")
    return see_other(url_for("calendars.index"))
