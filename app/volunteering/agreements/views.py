"""Routes of agreements: the volunteer's copy and acceptance, the organisation's copy,
acceptance and record of the signed paper, and the organisation's template."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.permissions import require_member
from app.rendering import form_error_status, render, see_other
from app.volunteering.agreements import service
from app.volunteering.agreements.forms import (
    AgreementTemplateForm,
    OrganisationAcceptForm,
    VolunteerAcceptForm,
    WrittenAgreementForm,
)
from app.volunteering.agreements.models import Agreement
from app.volunteering.blueprint import bp

PREFIX = "/organizacja/<slug>"
VOLUNTEER_PAGE = "volunteering/agreements/volunteer.html"
ORGANISATION_PAGE = "volunteering/agreements/organisation.html"


def document_html(agreement: Agreement) -> Markup:
    """The agreement itself, always in its own language (the volunteer's), whoever reads it."""
    with force_locale(agreement.language):
        return Markup(
            render_template(
                "volunteering/agreements/_document.html", agreement=agreement, stamp=service.stamp
            )
        )


@bp.app_context_processor
def _agreement_helpers():
    def agreement_of(signup):
        if signup.user_id is None:
            return None
        return service.agreement_for(signup.shift.opportunity_id, signup.user_id)

    def my_agreements():
        return service.agreements_of_user(current_user)

    return {"agreement_of": agreement_of, "my_agreements": my_agreements}


# --- the volunteer ---------------------------------------------------------------------------


def get_own_agreement_or_404(agreement_id: int) -> Agreement:
    agreement = db.get_or_404(Agreement, agreement_id)
    if agreement.user_id is None or agreement.user_id != current_user.id:
        abort(404)
    return agreement


def _volunteer_page(agreement, form, status=200):
    return render(
        VOLUNTEER_PAGE,
        agreement=agreement,
        document=document_html(agreement),
        form=form,
        status=status,
    )


@bp.get("/porozumienia/<int:agreement_id>")
@login_required
def my_agreement(agreement_id: int):
    agreement = get_own_agreement_or_404(agreement_id)
    return _volunteer_page(agreement, VolunteerAcceptForm())


@bp.post("/porozumienia/<int:agreement_id>/akceptacja")
@login_required
def accept_my_agreement(agreement_id: int):
    agreement = get_own_agreement_or_404(agreement_id)
    form = VolunteerAcceptForm()
    if not form.validate_on_submit():
        return _volunteer_page(agreement, form, status=form_error_status())
    service.accept_as_volunteer(agreement, user=current_user, costs_waived=form.costs_waived.data)
    flash(_("Porozumienie zaakceptowane. Dziękujemy!"), "success")
    return see_other(url_for("volunteering.my_agreement", agreement_id=agreement.id))


def _pdf(agreement: Agreement):
    from app.volunteering.agreements.pdf import render_pdf

    with force_locale(agreement.language):
        title = _("Porozumienie o wykonywaniu świadczeń wolontariusza")
    content = render_pdf(document_html(agreement), title=title, language=agreement.language)
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="porozumienie-{agreement.id}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/porozumienia/<int:agreement_id>.pdf")
@login_required
def my_agreement_pdf(agreement_id: int):
    return _pdf(get_own_agreement_or_404(agreement_id))


# --- a guest (no account): the signed link from the confirmation e-mail ----------------------


def get_guest_agreement_or_404(token: str) -> Agreement:
    """The agreement of the guest's sign-up the signed link names; gone (404) once the sign-up
    is anonymised (retention) or the agreement was not made."""
    from app.volunteering.service import signup_from_token

    signup = signup_from_token(token, "agreement")
    if signup is None or signup.anonymised_at is not None or signup.user_id is not None:
        abort(404)
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.guest_signup_id == signup.id)
    )
    if agreement is None:
        abort(404)
    return agreement


@bp.get("/porozumienie/<token>")
def guest_agreement(token: str):
    agreement = get_guest_agreement_or_404(token)
    response = make_response(
        render(
            "volunteering/agreements/guest.html",
            agreement=agreement,
            token=token,
            document=document_html(agreement),
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/porozumienie/<token>.pdf")
def guest_agreement_pdf(token: str):
    return _pdf(get_guest_agreement_or_404(token))


# --- the organisation ------------------------------------------------------------------------


def get_organisation_or_404(slug: str, *, staff_ok: bool = True) -> Organisation:
    organisation = db.first_or_404(sa.select(Organisation).where(Organisation.slug == slug))
    require_member(organisation, staff_ok=staff_ok)
    return organisation


def get_agreement_or_404(agreement_id: int, organisation: Organisation) -> Agreement:
    agreement = db.get_or_404(Agreement, agreement_id)
    if agreement.opportunity.organisation_id != organisation.id:
        abort(404)
    return agreement


def _organisation_page(organisation, agreement, written_form=None, status=200):
    return render(
        ORGANISATION_PAGE,
        organisation=organisation,
        agreement=agreement,
        document=document_html(agreement),
        accept_form=OrganisationAcceptForm(),
        written_form=written_form or WrittenAgreementForm(),
        status=status,
    )


def _back(organisation, agreement):
    return see_other(
        url_for("volunteering.org_agreement", slug=organisation.slug, agreement_id=agreement.id)
    )


@bp.get(f"{PREFIX}/porozumienia")
@login_required
def org_agreements(slug: str):
    organisation = get_organisation_or_404(slug)
    return render(
        "volunteering/agreements/list.html",
        organisation=organisation,
        agreements=service.agreements_of_organisation(organisation),
    )


@bp.get(f"{PREFIX}/porozumienia/<int:agreement_id>")
@login_required
def org_agreement(slug: str, agreement_id: int):
    organisation = get_organisation_or_404(slug)
    return _organisation_page(organisation, get_agreement_or_404(agreement_id, organisation))


@bp.get(f"{PREFIX}/porozumienia/<int:agreement_id>.pdf")
@login_required
def org_agreement_pdf(slug: str, agreement_id: int):
    organisation = get_organisation_or_404(slug)
    return _pdf(get_agreement_or_404(agreement_id, organisation))


@bp.post(f"{PREFIX}/porozumienia/<int:agreement_id>/akceptacja")
@login_required
def org_accept_agreement(slug: str, agreement_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    agreement = get_agreement_or_404(agreement_id, organisation)
    if not OrganisationAcceptForm().validate_on_submit():
        abort(400)
    service.accept_as_organisation(agreement, actor=current_user)
    flash(_("Porozumienie zaakceptowane w imieniu organizacji."), "success")
    return _back(organisation, agreement)


@bp.post(f"{PREFIX}/porozumienia/<int:agreement_id>/pisemne")
@login_required
def org_written_agreement(slug: str, agreement_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    agreement = get_agreement_or_404(agreement_id, organisation)
    form = WrittenAgreementForm()
    if not form.validate_on_submit():
        return _organisation_page(organisation, agreement, form, status=form_error_status())
    try:
        service.record_written(agreement, form.signed_on.data, actor=current_user)
    except DomainError as error:
        form.signed_on.errors = [error.message]
        return _organisation_page(organisation, agreement, form, status=error.status)
    flash(_("Zapisano datę podpisania porozumienia na piśmie."), "success")
    return _back(organisation, agreement)


@bp.route(f"{PREFIX}/wzor-porozumienia", methods=["GET", "POST"])
@login_required
def org_agreement_template(slug: str):
    # City staff may read it (the nav links it); only members save.
    organisation = get_organisation_or_404(slug, staff_ok=request.method == "GET")
    template = service.template_of(organisation)
    form = AgreementTemplateForm(obj=template)
    page = "volunteering/agreements/template_form.html"
    defaults = {key: service.default_text(key) for key in service.EDITABLE_SECTIONS}
    context = {"organisation": organisation, "current": template, "defaults": defaults}
    if form.validate_on_submit():
        service.save_template(organisation, form.data, actor=current_user)
        flash(_("Wzór porozumienia zapisany. Nowe porozumienia będą go używać."), "success")
        return see_other(url_for("volunteering.org_agreement_template", slug=organisation.slug))
    if form.is_submitted():
        return render(page, "form", form=form, status=form_error_status(), **context)
    return render(page, "form", form=form, **context)
