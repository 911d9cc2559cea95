"""Routes of grants (wkład osobowy): the organisation's grants, their rate tables, engagements
counted in them and the report (HTML, CSV, PDF). Members edit; city staff may read."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import form_error_status, render, see_other
from app.timeutil import local_today
from app.volunteering.agreements.views import get_organisation_or_404
from app.volunteering.blueprint import bp
from app.volunteering.grants import service
from app.volunteering.grants.forms import AssignForm, GrantForm, PeriodForm, RateForm
from app.volunteering.grants.models import Grant

PREFIX = "/organizacja/<slug>/dotacje"
LIST_PAGE = "volunteering/grants/list.html"
GRANT_PAGE = "volunteering/grants/grant.html"
REPORT_PAGE = "volunteering/grants/report.html"


def get_grant_or_404(grant_id: int, organisation: Organisation) -> Grant:
    grant = db.get_or_404(Grant, grant_id)
    if grant.organisation_id != organisation.id:
        abort(404)
    return grant


def _refused_on(form, refusal: DomainError) -> None:
    """A 422 refusal shown on its field (or the form's first field)."""
    if refusal.status != 422:
        raise refusal
    target = getattr(form, refusal.field or "", None) or next(iter(form))
    target.errors = [*target.errors, refusal.message]


@bp.route(PREFIX, methods=["GET", "POST"])
@login_required
def org_grants(slug: str):
    organisation = get_organisation_or_404(slug, staff_ok=request.method == "GET")
    form = GrantForm()
    if request.method == "GET":
        today = local_today()
        form.period_start.data = form.period_start.data or today.replace(month=1, day=1)
        form.period_end.data = form.period_end.data or today.replace(month=12, day=31)
    if form.validate_on_submit():
        try:
            grant = service.create_grant(
                organisation,
                name=form.name.data,
                competition=form.competition.data or "",
                agreement_number=form.agreement_number.data or "",
                period_start=form.period_start.data,
                period_end=form.period_end.data,
            )
        except DomainError as refusal:
            _refused_on(form, refusal)
        else:
            flash(_("Dotacja dodana, z przykładową tabelą stawek do poprawienia."), "success")
            return see_other(url_for("volunteering.org_grant", slug=slug, grant_id=grant.id))
    status = form_error_status() if form.is_submitted() else 200
    return render(
        LIST_PAGE,
        status=status,
        organisation=organisation,
        grants=service.grants_of(organisation),
        form=form,
    )


def _grant_page(organisation, grant, *, details=None, rate_form=None, assign_form=None, status=200):
    details = details or GrantForm(obj=grant, formdata=None)
    assign_form = assign_form or AssignForm(formdata=None)
    assignable = service.assignable_agreements(grant)
    assign_form.agreement.choices = [
        (a.id, f"{a.volunteer_name or '—'} – {a.opportunity.title} (nr {a.id})") for a in assignable
    ]
    assign_form.rate.choices = [(rate.id, rate.kind) for rate in grant.rates]
    return render(
        GRANT_PAGE,
        status=status,
        organisation=organisation,
        grant=grant,
        details=details,
        rate_form=rate_form or RateForm(formdata=None),
        assign_form=assign_form,
        assignments=service.assignments_of(grant),
        rates=grant.rates,
    )


@bp.route(f"{PREFIX}/<int:grant_id>", methods=["GET", "POST"])
@login_required
def org_grant(slug: str, grant_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=request.method == "GET")
    grant = get_grant_or_404(grant_id, organisation)
    if request.method == "GET":
        return _grant_page(organisation, grant)
    details = GrantForm()
    if details.validate_on_submit():
        try:
            service.update_grant(
                grant,
                name=details.name.data,
                competition=details.competition.data or "",
                agreement_number=details.agreement_number.data or "",
                period_start=details.period_start.data,
                period_end=details.period_end.data,
            )
        except DomainError as refusal:
            _refused_on(details, refusal)
        else:
            flash(_("Dane dotacji zapisane."), "success")
            return see_other(url_for("volunteering.org_grant", slug=slug, grant_id=grant.id))
    return _grant_page(organisation, grant, details=details, status=form_error_status())


@bp.post(f"{PREFIX}/<int:grant_id>/stawki")
@login_required
def org_grant_rate(slug: str, grant_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    grant = get_grant_or_404(grant_id, organisation)
    form = RateForm()
    if form.validate_on_submit():
        rate_id = request.form.get("rate_id", type=int)
        try:
            service.save_rate(
                grant,
                kind=form.kind.data,
                hourly_rate=form.hourly_rate.data,
                source=form.source.data or "",
                rate_id=rate_id,
            )
        except DomainError as refusal:
            _refused_on(form, refusal)
        else:
            flash(_("Tabela stawek zapisana."), "success")
            return see_other(
                url_for("volunteering.org_grant", slug=slug, grant_id=grant.id) + "#stawki"
            )
    return _grant_page(organisation, grant, rate_form=form, status=form_error_status())


@bp.post(f"{PREFIX}/<int:grant_id>/stawki/<int:rate_id>/usun")
@login_required
def org_grant_rate_remove(slug: str, grant_id: int, rate_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    grant = get_grant_or_404(grant_id, organisation)
    service.remove_rate(grant, rate_id)
    flash(_("Stawka usunięta z tabeli."), "success")
    return see_other(url_for("volunteering.org_grant", slug=slug, grant_id=grant.id) + "#stawki")


@bp.post(f"{PREFIX}/<int:grant_id>/przypisania")
@login_required
def org_grant_assign(slug: str, grant_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    grant = get_grant_or_404(grant_id, organisation)
    form = AssignForm()
    form.agreement.choices = form.rate.choices = []
    if form.validate_on_submit():
        try:
            service.assign(
                grant, agreement_id=form.agreement.data, rate_id=form.rate.data, actor=current_user
            )
        except DomainError as refusal:
            _refused_on(form, refusal)
        else:
            flash(_("Zaangażowanie przypisane do dotacji."), "success")
            return see_other(
                url_for("volunteering.org_grant", slug=slug, grant_id=grant.id) + "#przypisania"
            )
    return _grant_page(organisation, grant, assign_form=form, status=form_error_status())


@bp.post(f"{PREFIX}/<int:grant_id>/przypisania/<int:assignment_id>/usun")
@login_required
def org_grant_unassign(slug: str, grant_id: int, assignment_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    grant = get_grant_or_404(grant_id, organisation)
    service.unassign(grant, assignment_id)
    flash(_("Zaangażowanie nie jest już rozliczane w tej dotacji."), "success")
    return see_other(
        url_for("volunteering.org_grant", slug=slug, grant_id=grant.id) + "#przypisania"
    )


# --- the report ------------------------------------------------------------------------------


def _report(organisation, grant_id):
    grant = get_grant_or_404(grant_id, organisation)
    form = PeriodForm(request.args)
    if not form.validate():
        return grant, form, None
    report = service.grant_report(grant, form.start.data, form.end.data)
    form.start.data, form.end.data = report.start, report.end
    return grant, form, report


def report_document(organisation, report) -> Markup:
    return Markup(
        render_template(
            "volunteering/grants/_report.html", organisation=organisation, report=report
        )
    )


@bp.get(f"{PREFIX}/<int:grant_id>/raport")
@login_required
def org_grant_report(slug: str, grant_id: int):
    organisation = get_organisation_or_404(slug)
    grant, form, report = _report(organisation, grant_id)
    return render(
        REPORT_PAGE,
        status=200 if report is not None else 400,
        organisation=organisation,
        grant=grant,
        form=form,
        report=report,
        document=report_document(organisation, report) if report is not None else None,
    )


@bp.get(f"{PREFIX}/<int:grant_id>/raport.csv")
@login_required
def org_grant_report_csv(slug: str, grant_id: int):
    organisation = get_organisation_or_404(slug)
    grant, form, report = _report(organisation, grant_id)
    if report is None:
        return render(
            REPORT_PAGE,
            status=400,
            organisation=organisation,
            grant=grant,
            form=form,
            report=None,
            document=None,
        )
    response = Response("\ufeff" + service.report_csv(report), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="wklad-osobowy-{grant.id}-{report.start}-{report.end}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"{PREFIX}/<int:grant_id>/raport.pdf")
@login_required
def org_grant_report_pdf(slug: str, grant_id: int):
    from app.volunteering.agreements.pdf import render_pdf

    organisation = get_organisation_or_404(slug)
    grant, form, report = _report(organisation, grant_id)
    if report is None:
        return render(
            REPORT_PAGE,
            status=400,
            organisation=organisation,
            grant=grant,
            form=form,
            report=None,
            document=None,
        )
    content = render_pdf(
        report_document(organisation, report),
        title=_("Wkład osobowy – %(name)s", name=grant.name),
        language="pl",
    )
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="wklad-osobowy-{grant.id}-{report.start}-{report.end}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
