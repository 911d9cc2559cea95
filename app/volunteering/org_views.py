"""Routes for organisation members: opportunities, shifts, applicants, hours."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.permissions import require_member
from app.rendering import (
    form_error_status,
    render,
    render_form_error,
    see_other,
    wants_fragment,
)
from app.timeutil import local_to_utc, to_local
from app.volunteering import service as volunteering
from app.volunteering.agreements.child_protection import standards_of
from app.volunteering.agreements.service import insurance_missing
from app.volunteering.blueprint import bp
from app.volunteering.forms import (
    AttendanceForm,
    CancelShiftForm,
    CapacityForm,
    DecisionForm,
    OpportunityForm,
    ReportForm,
    ShiftForm,
    ShiftTimesForm,
)
from app.volunteering.models import Opportunity, Shift, Signup
from app.volunteering.vocab import KIND_LABELS

PREFIX = "/organizacja/<slug>"


# --- fetch or 404, with the membership check ---------------------------------------------------


def get_organisation_or_404(slug: str) -> Organisation:
    """The organisation; 403 unless the current user is its member (or city staff)."""
    organisation = db.first_or_404(sa.select(Organisation).where(Organisation.slug == slug))
    require_member(organisation, staff_ok=True)
    return organisation


def get_opportunity_or_404(opportunity_id: int, *, organisation: Organisation) -> Opportunity:
    """One of ``organisation``'s offers; another organisation's is 404 here."""
    opportunity = db.get_or_404(Opportunity, opportunity_id)
    if opportunity.organisation_id != organisation.id:
        abort(404)
    return opportunity


def get_shift_or_404(shift_id: int, *, organisation: Organisation) -> Shift:
    shift = db.get_or_404(Shift, shift_id)
    if shift.opportunity.organisation_id != organisation.id:
        abort(404)
    return shift


def get_signup_or_404(signup_id: int, *, organisation: Organisation) -> Signup:
    signup = db.get_or_404(Signup, signup_id)
    if signup.shift.opportunity.organisation_id != organisation.id:
        abort(404)
    return signup


def _opportunity_url(organisation: Organisation, opportunity_id: int) -> str:
    return url_for(
        "volunteering.org_opportunity", slug=organisation.slug, opportunity_id=opportunity_id
    )


# --- the dashboard and offers ---------------------------------------------------------------


@bp.get(f"{PREFIX}/")
@login_required
def org_dashboard(slug: str):
    organisation = get_organisation_or_404(slug)
    return render(
        "volunteering/org/dashboard.html",
        organisation=organisation,
        opportunities=volunteering.opportunities_of(organisation),
        pending=volunteering.pending_count(organisation),
        responsiveness=volunteering.responsiveness(organisation.id),
    )


@bp.route(f"{PREFIX}/oferty/nowa", methods=["GET", "POST"])
@login_required
def org_new_opportunity(slug: str):
    organisation = get_organisation_or_404(slug)
    form = OpportunityForm(
        data={"requires_approval": True, "contact_name": current_user.name}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        opportunity = volunteering.create_opportunity(organisation, form.data)
        flash(_("Oferta zapisana jako szkic. Dodaj terminy i opublikuj ją."), "success")
        return see_other(_opportunity_url(organisation, opportunity.id))
    context = {"organisation": organisation, "form": form, "opportunity": None}
    if request.method == "POST":
        return render_form_error("volunteering/org/opportunity_form.html", "form", **context)
    return render("volunteering/org/opportunity_form.html", "form", **context)


@bp.route(f"{PREFIX}/oferty/<int:opportunity_id>/edycja", methods=["GET", "POST"])
@login_required
def org_edit_opportunity(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    form = OpportunityForm(obj=opportunity if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = opportunity.tag_codes
        form.kind.data = opportunity.kind.value
        form.district.data = opportunity.district or ""
    if form.validate_on_submit():
        volunteering.update_opportunity(opportunity, form.data)
        flash(_("Zmiany zapisane."), "success")
        return see_other(_opportunity_url(organisation, opportunity.id))
    context = {"organisation": organisation, "form": form, "opportunity": opportunity}
    if request.method == "POST":
        return render_form_error("volunteering/org/opportunity_form.html", "form", **context)
    return render("volunteering/org/opportunity_form.html", "form", **context)


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>")
@login_required
def org_opportunity(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    return _opportunity_page(organisation, opportunity, ShiftForm())


def _opportunity_page(organisation, opportunity, shift_form, status: int = 200):
    return render(
        "volunteering/org/opportunity.html",
        status=status,
        organisation=organisation,
        opportunity=opportunity,
        shift_form=shift_form,
        kind_label=KIND_LABELS[opportunity.kind.value],
        insurance_missing=insurance_missing(opportunity),
        now=utcnow(),
    )


@bp.post(f"{PREFIX}/oferty/<int:opportunity_id>/status")
@login_required
def org_set_status(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    action = request.form.get("action")
    if action == "publish":
        volunteering.publish(opportunity)
        flash(_("Oferta opublikowana."), "success")
        if insurance_missing(opportunity):
            flash(
                _(
                    "Uwaga: współpraca trwa do 30 dni, a oferta nie podaje ubezpieczenia NNW wolontariuszy (art. 46 ust. 3 ustawy). Uzupełnij je w edycji oferty."
                ),
                "warning",
            )
        if opportunity.works_with_children and standards_of(organisation.id) is None:
            flash(
                _(
                    "Uwaga: oferta obejmuje pracę z dziećmi, a organizacja nie podała swoich standardów ochrony małoletnich."
                ),
                "warning",
            )
    elif action == "close":
        volunteering.close(opportunity)
        flash(_("Oferta zamknięta: nie przyjmuje nowych zgłoszeń."), "info")
    else:
        abort(400)
    return see_other(_opportunity_url(organisation, opportunity.id))


# --- shifts ----------------------------------------------------------------------------------


def _times_from(form: ShiftTimesForm):
    """The form's Warsaw wall-clock day, start and end as UTC instants."""
    return (
        local_to_utc(form.day.data, form.start.data),
        local_to_utc(form.day.data, form.end.data),
    )


def _add_errors(form: ShiftTimesForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


@bp.post(f"{PREFIX}/oferty/<int:opportunity_id>/terminy")
@login_required
def org_add_shift(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    form = ShiftForm()
    if form.validate_on_submit():
        starts_at, ends_at = _times_from(form)
        try:
            volunteering.add_shift(
                opportunity,
                starts_at,
                ends_at,
                capacity=form.capacity.data,
                note=form.note.data or "",
            )
        except volunteering.ShiftTimesInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            flash(_("Termin dodany."), "success")
            return see_other(_opportunity_url(organisation, opportunity.id))
    return _opportunity_page(organisation, opportunity, form, form_error_status())


@bp.route(f"{PREFIX}/terminy/<int:shift_id>/edycja", methods=["GET", "POST"])
@login_required
def org_edit_shift(slug: str, shift_id: int):
    """Move a shift: a new day, start and end (Warsaw time); the volunteers are told."""
    organisation = get_organisation_or_404(slug)
    shift = get_shift_or_404(shift_id, organisation=organisation)
    target = _opportunity_url(organisation, shift.opportunity_id)
    if request.method == "GET":
        starts, ends = to_local(shift.starts_at), to_local(shift.ends_at)
        form = ShiftTimesForm(
            data={"day": starts.date(), "start": starts.time(), "end": ends.time()}
        )
    else:
        form = ShiftTimesForm()
    context = {"organisation": organisation, "shift": shift, "form": form, "back_url": target}
    if not volunteering.can_move(shift):
        status = 409 if request.method == "POST" else 200
        refusal = volunteering.cannot_move_message()
        return render(
            "volunteering/org/shift_form.html", "form", status=status, refusal=refusal, **context
        )
    if form.validate_on_submit():
        starts_at, ends_at = _times_from(form)
        try:
            moved = volunteering.move_shift(shift.id, starts_at, ends_at, actor=current_user)
        except volunteering.ShiftTimesInvalid as invalid:
            _add_errors(form, invalid.errors)
        except DomainError as refusal:
            return render(
                "volunteering/org/shift_form.html",
                "form",
                status=refusal.status,
                refusal=refusal.message,
                **context,
            )
        else:
            if moved:
                flash(_("Termin przeniesiony; zapisane osoby dostały e-mail."), "success")
            else:
                flash(_("Termin się nie zmienił."), "info")
            return see_other(target)
    if request.method == "POST":
        return render_form_error("volunteering/org/shift_form.html", "form", **context)
    return render("volunteering/org/shift_form.html", "form", **context)


@bp.post(f"{PREFIX}/terminy/<int:shift_id>/miejsca")
@login_required
def org_change_capacity(slug: str, shift_id: int):
    organisation = get_organisation_or_404(slug)
    shift = get_shift_or_404(shift_id, organisation=organisation)
    form = CapacityForm()
    if not form.validate_on_submit():
        raise DomainError(_("Podaj liczbę miejsc od 1 do 1000."), status=422, field="capacity")
    volunteering.change_capacity(shift.id, form.capacity.data, actor=current_user)
    flash(_("Liczba miejsc zmieniona."), "success")
    return see_other(_opportunity_url(organisation, shift.opportunity_id))


@bp.route(f"{PREFIX}/terminy/<int:shift_id>/odwolaj", methods=["GET", "POST"])
@login_required
def org_cancel_shift(slug: str, shift_id: int):
    """Calling a shift off is asked first (a page of its own, so it works without JavaScript),
    with the reason the volunteers on it will read."""
    organisation = get_organisation_or_404(slug)
    shift = get_shift_or_404(shift_id, organisation=organisation)
    form = CancelShiftForm()
    context = {
        "organisation": organisation,
        "shift": shift,
        "form": form,
        "active": sum(1 for signup in shift.signups if signup.is_active),
        "back_url": _opportunity_url(organisation, shift.opportunity_id),
    }
    if form.validate_on_submit():
        try:
            volunteering.cancel_shift(shift.id, actor=current_user, reason=form.reason.data or "")
        except DomainError as refusal:
            if refusal.field != "reason":
                raise
            form.reason.errors = [*form.reason.errors, refusal.message]
        else:
            flash(_("Termin odwołany; zapisane osoby dostały e-mail."), "info")
            return see_other(context["back_url"])
    if request.method == "POST":
        return render_form_error("volunteering/org/cancel_shift.html", "form", **context)
    return render("volunteering/org/cancel_shift.html", "form", **context)


# --- applicants ------------------------------------------------------------------------------

APPLICANTS = "volunteering/org/applicants.html"


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>/zgloszenia")
@login_required
def org_applicants(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    return render(APPLICANTS, organisation=organisation, opportunity=opportunity, now=utcnow())


def _answered(organisation: Organisation, signup: Signup, message: str):
    """After an answer or recorded hours: for htmx the shift's applicants again (the answered
    row, a promoted one, the count) with the message; a page goes back to the row."""
    flash(message, "success")
    if wants_fragment():
        db.session.expire_all()  # the promotion and counters moved by guarded UPDATEs
        signup = db.session.get(Signup, signup.id)
        return render(
            APPLICANTS,
            "shift_applicants",
            organisation=organisation,
            opportunity=signup.shift.opportunity,
            shift=signup.shift,
            now=utcnow(),
        )
    return see_other(
        url_for(
            "volunteering.org_applicants",
            slug=organisation.slug,
            opportunity_id=signup.shift.opportunity_id,
            _anchor=f"signup-{signup.id}",
        )
    )


@bp.post(f"{PREFIX}/zgloszenia/<int:signup_id>/decyzja")
@login_required
def org_decide(slug: str, signup_id: int):
    organisation = get_organisation_or_404(slug)
    signup = get_signup_or_404(signup_id, organisation=organisation)
    form = DecisionForm()
    if not form.validate_on_submit():
        raise DomainError(_("Wybierz: przyjmij albo odrzuć."), status=422, field="decision")
    volunteering.decide(
        signup.id,
        accept=form.decision.data == "accept",
        message=form.message.data or "",
        actor=current_user,
    )
    return _answered(organisation, signup, _("Odpowiedź wysłana."))


@bp.post(f"{PREFIX}/zgloszenia/<int:signup_id>/obecnosc")
@login_required
def org_attendance(slug: str, signup_id: int):
    organisation = get_organisation_or_404(slug)
    signup = get_signup_or_404(signup_id, organisation=organisation)
    form = AttendanceForm()
    if not form.validate_on_submit():
        raise DomainError(_("Zaznacz obecność; godziny od 0 do 24."), status=422, field="hours")
    volunteering.record_attendance(
        signup.id,
        attended=form.attended.data == "yes",
        hours=form.hours.data,
        actor=current_user,
    )
    return _answered(organisation, signup, _("Obecność zapisana."))


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>/zgloszenia.csv")
@login_required
def org_applicants_csv(slug: str, opportunity_id: int):
    organisation = get_organisation_or_404(slug)
    opportunity = get_opportunity_or_404(opportunity_id, organisation=organisation)
    # A BOM so spreadsheet programs read the Polish letters correctly.
    response = Response("\ufeff" + volunteering.applicants_csv(opportunity), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="zgloszenia-{opportunity.id}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _hours_report(organisation: Organisation):
    """The report the query asks for (missing values: this year so far, the rate in force);
    None with the form's errors when a value is wrong (never a silent default)."""
    form = ReportForm(request.args)
    if not form.validate():
        return form, None
    start, end = volunteering.default_report_period()
    start = form.start.data or start
    end = form.end.data or end
    if end < start:
        form.end.errors = [*form.end.errors, _("Koniec okresu musi być po jego początku.")]
        return form, None
    # No rate asked: each day at the minimum hourly rate in force on it.
    rate = Decimal(form.rate.data) if form.rate.data is not None else volunteering.hourly_rate()
    form.start.data, form.end.data, form.rate.data = start, end, rate
    return form, volunteering.hours_report(organisation, start, end, rate)


@bp.get(f"{PREFIX}/godziny")
@login_required
def org_hours(slug: str):
    organisation = get_organisation_or_404(slug)
    form, report = _hours_report(organisation)
    return render(
        "volunteering/org/hours.html",
        status=200 if report is not None else 400,
        organisation=organisation,
        form=form,
        report=report,
    )


@bp.get(f"{PREFIX}/godziny/druk")
@login_required
def org_hours_print(slug: str):
    organisation = get_organisation_or_404(slug)
    form, report = _hours_report(organisation)
    if report is None:
        return render(
            "volunteering/org/hours.html", status=400, organisation=organisation, form=form
        )
    return render("volunteering/org/hours_print.html", organisation=organisation, report=report)


@bp.get(f"{PREFIX}/godziny.csv")
@login_required
def org_hours_csv(slug: str):
    organisation = get_organisation_or_404(slug)
    form, report = _hours_report(organisation)
    if report is None:
        return render(
            "volunteering/org/hours.html", status=400, organisation=organisation, form=form
        )
    # A BOM so spreadsheet programs read the Polish letters correctly.
    response = Response("\ufeff" + volunteering.hours_csv(report), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="godziny-{report.start}-{report.end}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
