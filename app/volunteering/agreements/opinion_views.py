"""Routes of opinions (art. 44 ust. 5): the volunteer requests and reads; the organisation
writes."""

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
from app.rendering import form_error_status, render, see_other
from app.volunteering.agreements import opinions
from app.volunteering.agreements.forms import OpinionForm
from app.volunteering.agreements.models import Opinion
from app.volunteering.agreements.views import get_organisation_or_404
from app.volunteering.blueprint import bp


def document_html(opinion: Opinion) -> Markup:
    first, last, total = opinions.work_summary(opinion)
    with force_locale(opinion.language):
        return Markup(
            render_template(
                "volunteering/agreements/_opinion.html",
                opinion=opinion,
                first=first,
                last=last,
                total=total,
            )
        )


@bp.app_context_processor
def _opinion_helpers():
    return {"my_opinions": lambda: opinions.opinions_of_user(current_user)}


@bp.post("/opinie/<slug>")
@login_required
def request_opinion(slug: str):
    organisation = db.first_or_404(sa.select(Organisation).where(Organisation.slug == slug))
    opinion = opinions.request_opinion(
        organisation, user=current_user, note=request.form.get("note", "")
    )
    flash(_("Prośba o opinię wysłana do organizacji."), "success")
    return see_other(url_for("volunteering.my_opinion", opinion_id=opinion.id))


@bp.get("/opinie/<int:opinion_id>")
@login_required
def my_opinion(opinion_id: int):
    opinion = db.get_or_404(Opinion, opinion_id)
    if opinion.user_id is None or opinion.user_id != current_user.id:
        abort(404)
    document = document_html(opinion) if opinion.written_at else None
    return render("volunteering/agreements/opinion.html", opinion=opinion, document=document)


@bp.get("/organizacja/<slug>/opinie")
@login_required
def org_opinions(slug: str):
    organisation = get_organisation_or_404(slug)
    return render(
        "volunteering/agreements/org_opinions.html",
        organisation=organisation,
        opinions=opinions.opinions_of_organisation(organisation),
    )


@bp.route("/organizacja/<slug>/opinie/<int:opinion_id>", methods=["GET", "POST"])
@login_required
def org_opinion(slug: str, opinion_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=request.method == "GET")
    opinion = db.get_or_404(Opinion, opinion_id)
    if opinion.organisation_id != organisation.id:
        abort(404)
    form = OpinionForm()
    page = "volunteering/agreements/org_opinion.html"
    context = {"organisation": organisation, "opinion": opinion}
    if form.validate_on_submit():
        try:
            opinions.write_opinion(opinion, form.text.data, actor=current_user)
        except DomainError as refusal:
            if refusal.status != 422:
                raise
            form.text.errors = [refusal.message]
            return render(page, form=form, document=None, status=form_error_status(), **context)
        flash(_("Opinia wystawiona; wolontariusz dostał e-mail."), "success")
        return see_other(
            url_for("volunteering.org_opinion", slug=organisation.slug, opinion_id=opinion.id)
        )
    status = form_error_status() if form.is_submitted() else 200
    document = document_html(opinion) if opinion.written_at else None
    return render(page, form=form, document=document, status=status, **context)


def _pdf(opinion: Opinion):
    from app.volunteering.agreements.pdf import render_pdf

    if opinion.written_at is None:
        abort(404)
    with force_locale(opinion.language):
        title = _("Opinia o wykonaniu świadczeń wolontariusza")
    content = render_pdf(document_html(opinion), title=title, language=opinion.language)
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="opinia-{opinion.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/opinie/<int:opinion_id>.pdf")
@login_required
def my_opinion_pdf(opinion_id: int):
    opinion = db.get_or_404(Opinion, opinion_id)
    if opinion.user_id is None or opinion.user_id != current_user.id:
        abort(404)
    return _pdf(opinion)


@bp.get("/organizacja/<slug>/opinie/<int:opinion_id>.pdf")
@login_required
def org_opinion_pdf(slug: str, opinion_id: int):
    organisation = get_organisation_or_404(slug)
    opinion = db.get_or_404(Opinion, opinion_id)
    if opinion.organisation_id != organisation.id:
        abort(404)
    return _pdf(opinion)
