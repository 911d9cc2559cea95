"""The guardian's consent page (a one-time link, no account), the printable paper consent form
and the organisation's record of a paper form received."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.rendering import render, see_other
from app.volunteering.agreements import guardians
from app.volunteering.agreements.service import agreement_for
from app.volunteering.agreements.views import (
    document_html,
    get_organisation_or_404,
)
from app.volunteering.blueprint import bp
from app.volunteering.models import Signup

PAGE = "volunteering/agreements/guardian.html"


def _agreement_document(signup: Signup):
    agreement = (
        agreement_for(signup.shift.opportunity_id, signup.user_id) if signup.user_id else None
    )
    return agreement, (document_html(agreement) if agreement is not None else None)


@bp.route("/zgoda/<token>", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])
def guardian_consent(token: str):
    consent = guardians.consent_from_token(token)
    if consent is None:
        abort(404)
    signup = consent.signup
    agreement, document = _agreement_document(signup)
    context = {
        "consent": consent,
        "signup": signup,
        "shift": signup.shift,
        "opportunity": signup.shift.opportunity,
        "agreement": agreement,
        "document": document,
        "token": token,
    }
    problem = guardians.link_problem(consent)
    if problem:
        return render(PAGE, problem=problem, status=410, **context)
    if request.method == "POST":
        choice = request.form.get("decision")
        if choice not in ("consent", "decline"):
            return render(
                PAGE, error=_("Wybierz: zgadzam się albo nie zgadzam się."), status=422, **context
            )
        guardians.answer(consent, consents=choice == "consent")
        flash(
            _("Dziękujemy: zgoda zapisana.")
            if choice == "consent"
            else _("Zapisaliśmy, że nie wyrażasz zgody. Zgłoszenie zostało wycofane."),
            "success",
        )
        return see_other(url_for("volunteering.guardian_consent", token=token))
    return render(PAGE, **context)


@bp.get("/zgloszenia/<int:signup_id>/zgoda-opiekuna")
@login_required
def guardian_paper_form(signup_id: int):
    signup = db.get_or_404(Signup, signup_id)
    if signup.user_id != current_user.id or signup.guardian_name is None:
        abort(404)
    agreement, document = _agreement_document(signup)
    return render(
        "volunteering/agreements/guardian_paper.html",
        signup=signup,
        shift=signup.shift,
        opportunity=signup.shift.opportunity,
        agreement=agreement,
        document=document,
    )


@bp.post("/zgloszenia/<int:signup_id>/zgoda-opiekuna/ponow")
@login_required
def guardian_resend(signup_id: int):
    signup = db.get_or_404(Signup, signup_id)
    if signup.user_id != current_user.id or not guardians.waiting_for_consent(signup):
        abort(404)
    contact = (signup.guardian_contact or "").strip()
    if not guardians.is_email(contact) or not signup.is_active:
        abort(409)
    guardians.request_consent(signup, email=contact.lower())
    flash(_("Wysłaliśmy nowy link do rodzica lub opiekuna."), "success")
    return see_other(url_for("volunteering.my_signups"))


@bp.post("/organizacja/<slug>/zgloszenia/<int:signup_id>/zgoda-papierowa")
@login_required
def org_guardian_paper(slug: str, signup_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    signup = db.get_or_404(Signup, signup_id)
    if signup.shift.opportunity.organisation_id != organisation.id:
        abort(404)
    guardians.record_paper(signup, actor=current_user)
    flash(_("Zapisano: podpisana zgoda rodzica lub opiekuna jest w organizacji."), "success")
    return see_other(
        url_for(
            "volunteering.org_applicants",
            slug=organisation.slug,
            opportunity_id=signup.shift.opportunity_id,
            _anchor=f"signup-{signup.id}",
        )
    )
