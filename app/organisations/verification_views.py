"""A member asks city staff for the verification badge (staff decide on /urzad/weryfikacja)."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import permissions
from app.organisations.blueprint import bp
from app.organisations.views import get_organisation_or_404
from app.rendering import see_other


@bp.post("/<slug>/prosba-o-weryfikacje")
@login_required
def request_verification(slug: str):
    from app.staff.service import verification  # the staff console owns the procedure

    organisation = get_organisation_or_404(slug)
    permissions.require_member(organisation)
    verification.request_verification(organisation, request.form.get("message", ""))
    flash(_("Wysłano prośbę o weryfikację. Urząd sprawdzi dane z rejestrów."), "success")
    return see_other(url_for("organisations.profile", slug=organisation.slug))
