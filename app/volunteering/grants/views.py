"""Routes of grants (wkład osobowy): the organisation's grants, their rate tables, engagements
counted in them and the report (HTML, CSV, PDF). Members edit; city staff may read."""

from __future__ import annotations

from flask import abort, flash, make_response, render_template, request, url_for
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


def _organisation_grant(slug: str, grant_id: int, *, staff_ok: bool) -> tuple[Organisation, Grant]:
    """The one guard of every grant route: a member (or, where ``staff_ok``, city staff) of the
    organisation, and a grant of that organisation (another's answers 404)."""
    organisation = get_organisation_or_404(slug, staff_ok=staff_ok)
    return organisation, get_grant_or_404(grant_id, organisation)


def _back_to(grant: Grant, section: str = ""):
    url = url_for("volunteering.org_grant", slug=grant.organisation.slug, grant_id=grant.id)
    return see_other(f"{url}#{section}" if section else url)


def _details(form: GrantForm) -> dict:
    return {
        "name": form.name.data,
        "competition": form.competition.data or "",
        "agreement_number": form.agreement_number.data or "",
        "period_start": form.period_start.data,
        "period_end": form.period_end.data,
    }


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
            grant = service.create_grant(organisation, **_details(form))
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
    organisation, grant = _organisation_grant(slug, grant_id, staff_ok=request.method == "GET")
    if request.method == "GET":
        return _grant_page(organisation, grant)
    details = GrantForm()
    if details.validate_on_submit():
        try:
            service.update_grant(grant, **_details(details))
        except DomainError as refusal:
            _refused_on(details, refusal)
        else:
            flash(_("Dane dotacji zapisane."), "success")
            return _back_to(grant)
    return _grant_page(organisation, grant, details=details, status=form_error_status())


def _submit(organisation, grant, form, page_field: str, action, done: str, section: str):
    """A grant page's form: valid and accepted by the service, back to its section with
    ``done``; otherwise the page again with the form's values and errors."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as refusal:
            _refused_on(form, refusal)
        else:
            flash(done, "success")
            return _back_to(grant, section)
    return _grant_page(organisation, grant, status=form_error_status(), **{page_field: form})


def _removal(slug: str, grant_id: int, remove, done: str, section: str):
    _organisation, grant = _organisation_grant(slug, grant_id, staff_ok=False)
    remove(grant)
    flash(done, "success")
    return _back_to(grant, section)


@bp.post(f"{PREFIX}/<int:grant_id>/stawki")
@login_required
def org_grant_rate(slug: str, grant_id: int):
    organisation, grant = _organisation_grant(slug, grant_id, staff_ok=False)
    form = RateForm()

    def save():
        service.save_rate(
            grant,
            kind=form.kind.data,
            hourly_rate=form.hourly_rate.data,
            source=form.source.data or "",
            minimum_rate=form.minimum_rate.data,
            rate_id=request.form.get("rate_id", type=int),
        )

    return _submit(
        organisation, grant, form, "rate_form", save, _("Tabela stawek zapisana."), "stawki"
    )


@bp.post(f"{PREFIX}/<int:grant_id>/stawki/<int:rate_id>/usun")
@login_required
def org_grant_rate_remove(slug: str, grant_id: int, rate_id: int):
    return _removal(
        slug,
        grant_id,
        lambda grant: service.remove_rate(grant, rate_id),
        _("Stawka usunięta z tabeli."),
        "stawki",
    )


@bp.post(f"{PREFIX}/<int:grant_id>/przypisania")
@login_required
def org_grant_assign(slug: str, grant_id: int):
    organisation, grant = _organisation_grant(slug, grant_id, staff_ok=False)
    form = AssignForm()
    form.agreement.choices = form.rate.choices = []

    def save():
        service.assign(
            grant,
            agreement_id=form.agreement.data,
            rate_id=form.rate.data,
            hours=form.hours.data,
            actor=current_user,
        )

    return _submit(
        organisation,
        grant,
        form,
        "assign_form",
        save,
        _("Zaangażowanie przypisane do dotacji."),
        "przypisania",
    )


@bp.post(f"{PREFIX}/<int:grant_id>/przypisania/<int:assignment_id>/usun")
@login_required
def org_grant_unassign(slug: str, grant_id: int, assignment_id: int):
    return _removal(
        slug,
        grant_id,
        lambda grant: service.unassign(grant, assignment_id),
        _("Zaangażowanie nie jest już rozliczane w tej dotacji."),
        "przypisania",
    )


# --- the report ------------------------------------------------------------------------------


def _report(slug: str, grant_id: int):
    """The guard and the period of the three forms of the report (``report`` is None when the
    period is invalid: the page then says why, with 400)."""
    organisation, grant = _organisation_grant(slug, grant_id, staff_ok=True)
    form = PeriodForm(request.args)
    report = None
    if form.validate():
        report = service.grant_report(grant, form.start.data, form.end.data)
        form.start.data, form.end.data = report.start, report.end
    return organisation, grant, form, report


def _report_page(organisation, grant, form, report):
    return render(
        REPORT_PAGE,
        status=200 if report is not None else 400,
        organisation=organisation,
        grant=grant,
        form=form,
        report=report,
        document=report_document(organisation, report) if report is not None else None,
    )


def report_document(organisation, report) -> Markup:
    return Markup(
        render_template(
            "volunteering/grants/_report.html", organisation=organisation, report=report
        )
    )


def _download(content, mimetype: str, disposition: str, grant: Grant, report, ext: str):
    response = make_response(content)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="wklad-osobowy-{grant.id}-{report.start}-{report.end}.{ext}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"{PREFIX}/<int:grant_id>/raport")
@login_required
def org_grant_report(slug: str, grant_id: int):
    return _report_page(*_report(slug, grant_id))


@bp.get(f"{PREFIX}/<int:grant_id>/raport.csv")
@login_required
def org_grant_report_csv(slug: str, grant_id: int):
    organisation, grant, form, report = _report(slug, grant_id)
    if report is None:
        return _report_page(organisation, grant, form, report)
    content = ("\ufeff" + service.report_csv(report)).encode("utf-8")
    return _download(content, "text/csv; charset=utf-8", "attachment", grant, report, "csv")


@bp.get(f"{PREFIX}/<int:grant_id>/raport.pdf")
@login_required
def org_grant_report_pdf(slug: str, grant_id: int):
    from app.volunteering.agreements.pdf import render_pdf

    organisation, grant, form, report = _report(slug, grant_id)
    if report is None:
        return _report_page(organisation, grant, form, report)
    content = render_pdf(
        report_document(organisation, report),
        title=_("Wkład osobowy – %(name)s", name=grant.name),
        language="pl",
    )
    return _download(content, "application/pdf", "inline", grant, report, "pdf")
