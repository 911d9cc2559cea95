"""Routes of child protection: the record of a register check for a volunteer and the
organisation's standards of protecting minors."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import DomainError
from app.extensions import db
from app.rendering import form_error_status, render, see_other
from app.volunteering.agreements import child_protection
from app.volunteering.agreements.forms import RegisterCheckForm, StandardsForm
from app.volunteering.agreements.views import get_organisation_or_404
from app.volunteering.blueprint import bp
from app.volunteering.models import Signup

PREFIX = "/organizacja/<slug>"


@bp.app_context_processor
def _child_protection_helpers():
    def register_check_of(signup):
        if signup.user_id is None:
            return None
        return child_protection.latest_check(
            signup.shift.opportunity.organisation_id, signup.user_id
        )

    def child_protection_standards(organisation_id):
        return child_protection.standards_of(organisation_id)

    return {
        "register_check_of": register_check_of,
        "child_protection_standards": child_protection_standards,
    }


@bp.post(f"{PREFIX}/zgloszenia/<int:signup_id>/rejestr")
@login_required
def org_register_check(slug: str, signup_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    signup = db.get_or_404(Signup, signup_id)
    if signup.shift.opportunity.organisation_id != organisation.id:
        abort(404)
    form = RegisterCheckForm()
    if not form.validate_on_submit():
        raise DomainError(_("Podaj datę sprawdzenia."), status=422, field="checked_on")
    child_protection.record_check(signup, form.checked_on.data, actor=current_user)
    flash(_("Zapisano datę sprawdzenia w rejestrze."), "success")
    return see_other(
        url_for(
            "volunteering.org_applicants",
            slug=organisation.slug,
            opportunity_id=signup.shift.opportunity_id,
            _anchor=f"signup-{signup.id}",
        )
    )


@bp.route(f"{PREFIX}/standardy-ochrony-maloletnich", methods=["GET", "POST"])
@login_required
def org_child_protection(slug: str):
    # City staff may read it (the nav links it); only members save.
    organisation = get_organisation_or_404(slug, staff_ok=request.method == "GET")
    standards = child_protection.standards_of(organisation.id)
    form = StandardsForm(obj=standards)
    page = "volunteering/agreements/standards_form.html"
    if form.validate_on_submit():
        child_protection.save_standards(
            organisation, form.url.data, form.adopted_on.data, actor=current_user
        )
        flash(
            _("Standardy ochrony małoletnich zapisane: link jest w profilu organizacji."), "success"
        )
        return see_other(url_for("volunteering.org_child_protection", slug=organisation.slug))
    status = form_error_status() if form.is_submitted() else 200
    return render(page, "form", form=form, organisation=organisation, status=status)
