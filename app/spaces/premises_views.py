"""Routes for organisations' own premises (an NGO becomes a provider of its rooms and
equipment) and for combined rooms (which rooms a hall is made of)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render, render_form_error, see_other
from app.spaces.blueprint import bp
from app.spaces.forms import CombinedRoomForm, PremisesForm
from app.spaces.models import Space, SpaceKind
from app.spaces.service import combined, premises
from app.spaces.views import get_space_or_404


def _organisation_or_404(slug: str) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    permissions.require_member(organisation)
    return organisation


@bp.route("/organizacja/<slug>/udostepnianie", methods=["GET", "POST"])
@login_required
def publish_premises(slug: str):
    """A member makes the organisation a provider of its own spaces (once; then its page)."""
    organisation = _organisation_or_404(slug)
    existing = premises.organisation_provider(organisation)
    if existing is not None:
        return see_other(url_for("spaces.provider_spaces", slug=existing.slug))
    form = PremisesForm(name=organisation.name)
    context = {"organisation": organisation, "form": form}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/premises_form.html", "form", **context)
        return render("spaces/premises_form.html", "form", **context)
    try:
        provider = premises.publish_premises(
            organisation,
            current_user,
            name=form.name.data,
            description=form.description.data or "",
            contact_email=form.contact_email.data or "",
        )
    except DomainError as error:
        getattr(form, error.field or "name").errors = [error.message]
        return render_form_error("spaces/premises_form.html", "form", **context)
    flash(_("Organizacja udostępnia teraz przestrzenie. Dodaj salę albo sprzęt."), "success")
    return see_other(url_for("spaces.provider_spaces", slug=provider.slug))


@bp.route("/sala/<slug>/sala-laczona", methods=["GET", "POST"])
@login_required
def combined_room(slug: str):
    """The provider's managers say which of its rooms this one combines (A+B of A and B)."""
    space = get_space_or_404(slug, check="manage")
    if space.kind != SpaceKind.ROOM:
        abort(404)
    rooms = db.session.scalars(
        sa.select(Space)
        .where(
            Space.provider_id == space.provider_id,
            Space.kind == SpaceKind.ROOM,
            Space.id != space.id,
        )
        .order_by(Space.name)
    ).all()
    form = CombinedRoomForm()
    form.parts.choices = [(room.id, room.name) for room in rooms]
    if request.method == "GET":
        form.parts.data = [p.id for p in combined.parts_of(space)]
    context = {"space": space, "form": form, "wholes": combined.wholes_of(space)}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/combined_form.html", "form", **context)
        return render("spaces/combined_form.html", "form", **context)
    chosen = [room for room in rooms if room.id in set(form.parts.data or [])]
    try:
        combined.set_parts(space, chosen)
    except DomainError as error:
        form.parts.errors = [error.message]
        return render_form_error("spaces/combined_form.html", "form", **context)
    flash(_("Zapisano: sala łączona.") if chosen else _("Zapisano: zwykła sala."), "success")
    return see_other(url_for("spaces.manage_space", slug=space.slug))


@bp.app_template_global()
def combined_with(space: Space) -> tuple[list[Space], list[Space]]:
    """(the rooms this one is made of, the combined rooms it is part of) for its pages."""
    if space.kind != SpaceKind.ROOM:
        return [], []
    return combined.parts_of(space), combined.wholes_of(space)


@bp.app_template_global()
def premises_of(organisation: Organisation):
    """The provider an organisation shares its own premises as, or None."""
    return premises.organisation_provider(organisation)
