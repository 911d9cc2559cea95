"""Public routes of the NGO competence base (the list, profiles, open data, asking to join),
and the fetch-or-404 helper every view module of the domain uses.

Members' routes are in ``member_views``, city staff's in ``staff_views``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import (
    limits,
    permissions,  # a module import: app.permissions imports our models
)
from app.districts import DISTRICTS
from app.extensions import db
from app.organisations import opendata
from app.organisations import service as orgs
from app.organisations.blueprint import bp
from app.organisations.forms import JoinForm
from app.organisations.labels import competence_choices
from app.organisations.models import OFFER_KIND_LABELS, Organisation, RequestKind
from app.organisations.spheres import SPHERES
from app.rendering import render, see_other, wants_fragment
from app.search.counting import count_cap


def get_organisation_or_404(slug: str, check: str | None = None, *, staff_ok: bool = False):
    """The organisation of ``slug`` or 404; ``check="member"`` or ``"owner"``: 403 unless the
    current user is one (``staff_ok``: city staff may too). Profiles are public, so a refused
    action is 403, not 404."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    if check is not None:
        if check not in {"member", "owner"}:
            raise ValueError(f"unknown check {check!r}")
        permissions.require_member(organisation, owner=check == "owner", staff_ok=staff_ok)
    return organisation


def in_place_or_see_other(url: str, template: str, block: str, **context):
    """After an action that stays on the page: for htmx the updated ``block`` (the flash
    travels with it), for a page a 303 to ``url``."""
    if wants_fragment():
        return render(template, block, **context)
    return see_other(url)


# --- public pages ------------------------------------------------------------------------------


@bp.get("/")
def index():
    filters = orgs.Filters.from_args(request.args)
    listing = orgs.list_organisations(filters)
    options = {
        "area": [(s.code, s.label) for s in SPHERES],
        "competence": competence_choices(orgs.all_competences()),
        "district": list(DISTRICTS),
        "offer": [(kind.value, label) for kind, label in OFFER_KIND_LABELS.items()],
    }
    return render(
        "organisations/index.html",
        "results",
        filters=filters,
        listing=listing,
        options=options,
        cap=count_cap(),
    )


def _profile_context(organisation: Organisation) -> dict:
    membership = permissions.membership_of(current_user, organisation)
    pending = None
    if current_user.is_authenticated and membership is None:
        pending = orgs.pending_request_of(organisation, current_user)
    return {
        "organisation": organisation,
        "membership": membership,
        "pending_request": pending,
        "has_owner": bool(orgs.owners(organisation)),
        "join_form": JoinForm(),
        "volunteering": orgs.volunteering_of(organisation),
    }


@bp.get("/<slug>")
def profile(slug: str):
    organisation = get_organisation_or_404(slug)
    if organisation.hidden_at is not None and not (
        permissions.is_member(current_user, organisation) or permissions.is_staff(current_user)
    ):
        abort(404)  # hidden by staff: its members and staff see it with a banner
    return render("organisations/profile.html", **_profile_context(organisation))


@bp.get("/otwarte-dane.csv")
def export_csv():
    return opendata.csv_response()


@bp.get("/otwarte-dane.json")
def export_json():
    return opendata.json_response()


@bp.post("/<slug>/dolacz")
@limits.join_requests
@login_required
def join(slug: str):
    """Ask to join an organisation, or claim a profile nobody manages (a refusal, such as a
    request already waiting, is answered where the user is by app.errors)."""
    organisation = get_organisation_or_404(slug)
    form = JoinForm()
    if form.validate_on_submit():
        request_ = orgs.request_membership(organisation, current_user, form.message.data or "")
        if request_.kind == RequestKind.CLAIM:
            flash(_("Wysłano prośbę o przejęcie profilu. Zdecyduje Urząd Miasta."), "success")
        else:
            flash(_("Wysłano prośbę o dołączenie. Zdecydują właściciele organizacji."), "success")
    return in_place_or_see_other(
        url_for("organisations.profile", slug=organisation.slug),
        "organisations/profile.html",
        "join",
        **_profile_context(organisation),
    )
