"""Shifts in calendars: the public calendar of published shifts and one shift's .ics.

The public calendar takes the list's own ``area`` and ``district`` filters from the query
string, so "subscribe to this" on a filtered list gives the same selection.
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.calendars.http import feed_response
from app.calendars.ical import build_calendar
from app.calendars.single import google_calendar_url, ics_download, single_calendar
from app.extensions import db
from app.volunteering import browse
from app.volunteering.blueprint import bp
from app.volunteering.calendar import (
    own_signup,
    public_events,
    public_shift_event,
    public_version,
    signup_event,
)
from app.volunteering.models import Shift, Signup
from app.volunteering.vocab import DISTRICT_NAMES, SPHERES_BY_CODE


def _public_name(filters: browse.Filters) -> str:
    parts = [_("Wolontariat w Toruniu")]
    if filters.area:
        parts.append(str(SPHERES_BY_CODE[filters.area].label))
    if filters.district:
        parts.append(DISTRICT_NAMES[filters.district])
    return " – ".join(parts)


@bp.get("/kalendarz.ics")
def public_calendar():
    """Published shifts for anyone to subscribe to (the city website links it too)."""
    filters = browse.parse_filters(request.args)
    response = feed_response(
        public_version(area=filters.area, district=filters.district),
        lambda: build_calendar(
            _public_name(filters),
            public_events(area=filters.area, district=filters.district),
            description=_("Terminy ofert wolontariatu opublikowanych w serwisie Wspólnie."),
        ),
        "wolontariat-torun.ics",
        public=True,
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def public_calendar_url(filters: browse.Filters, *, external: bool = False) -> str:
    args = {k: v for k, v in (("area", filters.area), ("district", filters.district)) if v}
    return url_for("volunteering.public_calendar", _external=external, **args)


def shift_calendar_event(shift: Shift, signup: Signup | None):
    """The volunteer's own event when they hold (or held) a place, otherwise the public one
    (only for a published offer); None when neither may be shown."""
    if signup is not None and (event := signup_event(signup)) is not None:
        return event
    if not shift.opportunity.is_public:
        return None
    return public_shift_event(shift)


@bp.get("/terminy/<int:shift_id>.ics")
def shift_ics(shift_id: int):
    shift = db.get_or_404(Shift, shift_id)
    event = shift_calendar_event(shift, own_signup(current_user, shift))
    if event is None:
        abort(404)
    body = single_calendar(shift.opportunity.title, [event])
    return ics_download(body, f"wolontariat-{shift.id}.ics")


@bp.app_template_global()
def shift_calendar_links(shift: Shift, signup: Signup | None = None) -> dict[str, str] | None:
    event = shift_calendar_event(shift, signup)
    if event is None:
        return None
    return {
        "ics": url_for("volunteering.shift_ics", shift_id=shift.id),
        "google": google_calendar_url(event),
    }


@bp.app_template_global()
def volunteering_calendar_url(filters=None, external: bool = False) -> str:
    return public_calendar_url(filters or browse.Filters(), external=external)
