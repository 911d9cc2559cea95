"""City staff decide on verification requests: approve, refuse with a reason, revoke."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import lazy_gettext as _l

from app.domain import DomainError
from app.organisations.views import get_organisation_or_404
from app.permissions import staff_required
from app.rendering import render, see_other
from app.staff.blueprint import bp
from app.staff.service import verification

DONE = {
    "approve": _l("Organizacja jest zweryfikowana; członkowie dostali wiadomość."),
    "refuse": _l("Odmówiono weryfikacji; członkowie zobaczą powód."),
    "revoke": _l("Cofnięto weryfikację; członkowie zobaczą powód."),
}


def _page(status: int = 200, errors: dict | None = None, values: dict | None = None):
    return render(
        "staff/verification.html",
        "queue",
        status=status,
        organisations=verification.pending(),
        identifiers=verification.identifiers,
        krs_search=verification.KRS_SEARCH_URL,
        errors=errors or {},
        values=values or {},
    )


@bp.get("/weryfikacja")
@staff_required
def verification_queue():
    return _page()


@bp.post("/weryfikacja/<slug>")
@staff_required
def decide_verification(slug: str):
    organisation = get_organisation_or_404(slug)
    action = request.form.get("action")
    reason = request.form.get("reason", "")
    if action not in DONE:
        abort(400)
    try:
        if action == "approve":
            verification.approve(organisation)
        elif action == "refuse":
            verification.refuse(organisation, reason)
        else:
            verification.revoke(organisation, reason)
    except DomainError as error:
        if action == "revoke" or error.field != "reason":
            raise
        return _page(422, {organisation.slug: error.message}, {organisation.slug: reason})
    flash(str(DONE[action]), "success")
    if action == "revoke" or request.form.get("next") == "profile":
        return see_other(url_for("organisations.profile", slug=organisation.slug))
    return see_other(url_for("staff.verification_queue"))
