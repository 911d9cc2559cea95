"""Routes for organisation members: opportunities, shifts, applicants, hours."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.permissions import require_member
from app.rendering import form_error_status, render, render_form_error, wants_fragment
from app.timeutil import local_to_utc, to_local
from app.volunteering import exports
from app.volunteering import service as volunteering
from app.volunteering.blueprint import bp
from app.volunteering.forms import (
    AttendanceForm,
    CapacityForm,
    DecisionForm,
    OpportunityForm,
    ReportForm,
    ShiftForm,
    ShiftTimesForm,
)
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupStatus,
)
from app.volunteering.vocab import KIND_LABELS

PREFIX = "/organizacja/<slug>"


def get_organisation(slug: str) -> Organisation:
    organisation = db.first_or_404(sa.select(Organisation).where(Organisation.slug == slug))
    require_member(organisation, staff_ok=True)
    return organisation


def get_own_opportunity(organisation: Organisation, opportunity_id: int) -> Opportunity:
    opportunity = db.get_or_404(Opportunity, opportunity_id)
    if opportunity.organisation_id != organisation.id:
        abort(404)
    return opportunity


def get_own_shift(organisation: Organisation, shift_id: int) -> Shift:
    shift = db.get_or_404(Shift, shift_id)
    if shift.opportunity.organisation_id != organisation.id:
        abort(404)
    return shift


def get_own_signup(organisation: Organisation, signup_id: int) -> Signup:
    signup = db.get_or_404(Signup, signup_id)
    if signup.shift.opportunity.organisation_id != organisation.id:
        abort(404)
    return signup


@bp.get(f"{PREFIX}/")
@login_required
def org_dashboard(slug: str):
    organisation = get_organisation(slug)
    opportunities = db.session.scalars(
        sa.select(Opportunity)
        .where(Opportunity.organisation_id == organisation.id)
        .order_by(Opportunity.status, Opportunity.title)
    ).all()
    pending = db.session.scalar(
        sa.select(sa.func.count(Signup.id))
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id, Signup.status == SignupStatus.PENDING
        )
    )
    return render(
        "volunteering/org/dashboard.html",
        organisation=organisation,
        opportunities=opportunities,
        pending=pending,
        responsiveness=volunteering.responsiveness(organisation.id),
    )


def _apply_opportunity_form(opportunity: Opportunity, form: OpportunityForm) -> None:
    opportunity.title = form.title.data.strip()
    opportunity.description = form.description.data.strip()
    opportunity.sphere = form.sphere.data
    opportunity.kind = OpportunityKind(form.kind.data)
    opportunity.set_tags(form.tags.data or [])
    opportunity.district = form.district.data or None
    opportunity.address = (form.address.data or "").strip()
    opportunity.is_online = bool(form.is_online.data)
    opportunity.min_age = form.min_age.data
    opportunity.skills = (form.skills.data or "").strip()
    opportunity.languages = (form.languages.data or "").strip()
    opportunity.requires_approval = bool(form.requires_approval.data)
    opportunity.contact_name = (form.contact_name.data or "").strip()
    opportunity.contact_email = (form.contact_email.data or "").strip()
    opportunity.contact_phone = (form.contact_phone.data or "").strip()
    opportunity.valid_until = form.valid_until.data


@bp.route(f"{PREFIX}/oferty/nowa", methods=["GET", "POST"])
@login_required
def org_new_opportunity(slug: str):
    organisation = get_organisation(slug)
    form = OpportunityForm(
        data={"requires_approval": True, "contact_name": current_user.name}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        opportunity = Opportunity(organisation=organisation, status=OpportunityStatus.DRAFT)
        _apply_opportunity_form(opportunity, form)
        db.session.add(opportunity)
        db.session.commit()
        flash(_("Oferta zapisana jako szkic. Dodaj terminy i opublikuj ją."), "success")
        return redirect(
            url_for("volunteering.org_opportunity", slug=slug, opportunity_id=opportunity.id)
        )
    context = {"organisation": organisation, "form": form, "opportunity": None}
    if request.method == "POST":
        return render_form_error("volunteering/org/opportunity_form.html", "form", **context)
    return render("volunteering/org/opportunity_form.html", "form", **context)


@bp.route(f"{PREFIX}/oferty/<int:opportunity_id>/edycja", methods=["GET", "POST"])
@login_required
def org_edit_opportunity(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    form = OpportunityForm(obj=opportunity if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = opportunity.tag_codes
        form.kind.data = opportunity.kind.value
        form.district.data = opportunity.district or ""
    if form.validate_on_submit():
        _apply_opportunity_form(opportunity, form)
        for shift in opportunity.shifts:
            shift.sequence += 1  # title, place or description shown in calendars may change
        db.session.commit()
        flash(_("Zmiany zapisane."), "success")
        return redirect(
            url_for("volunteering.org_opportunity", slug=slug, opportunity_id=opportunity.id)
        )
    context = {"organisation": organisation, "form": form, "opportunity": opportunity}
    if request.method == "POST":
        return render_form_error("volunteering/org/opportunity_form.html", "form", **context)
    return render("volunteering/org/opportunity_form.html", "form", **context)


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>")
@login_required
def org_opportunity(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    return _opportunity_page(organisation, opportunity, ShiftForm())


def _opportunity_page(organisation, opportunity, shift_form, status: int = 200):
    return render(
        "volunteering/org/opportunity.html",
        status=status,
        organisation=organisation,
        opportunity=opportunity,
        shift_form=shift_form,
        kind_label=KIND_LABELS[opportunity.kind.value],
        now=utcnow(),
    )


@bp.post(f"{PREFIX}/oferty/<int:opportunity_id>/status")
@login_required
def org_set_status(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    action = request.form.get("action")
    if action == "publish":
        opportunity.status = OpportunityStatus.PUBLISHED
        opportunity.published_at = opportunity.published_at or utcnow()
        flash(_("Oferta opublikowana."), "success")
    elif action == "close":
        opportunity.status = OpportunityStatus.CLOSED
        flash(_("Oferta zamknięta: nie przyjmuje nowych zgłoszeń."), "info")
    else:
        abort(400)
    db.session.commit()
    return redirect(
        url_for("volunteering.org_opportunity", slug=slug, opportunity_id=opportunity.id)
    ), 303


@bp.post(f"{PREFIX}/oferty/<int:opportunity_id>/terminy")
@login_required
def org_add_shift(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    form = ShiftForm()
    status = form_error_status()
    if not form.validate_on_submit():
        return _opportunity_page(organisation, opportunity, form, status)
    starts_at, ends_at = _times_from(form)
    errors = volunteering.shift_time_errors(opportunity, starts_at, ends_at)
    if errors:
        _add_errors(form, errors)
        return _opportunity_page(organisation, opportunity, form, status)
    shift = Shift(
        opportunity=opportunity,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=form.capacity.data,
        note=(form.note.data or "").strip(),
    )
    db.session.add(shift)
    db.session.commit()
    flash(_("Termin dodany."), "success")
    return redirect(
        url_for("volunteering.org_opportunity", slug=slug, opportunity_id=opportunity.id)
    ), 303


def _times_from(form: ShiftTimesForm):
    """The form's Warsaw wall-clock day, start and end as UTC instants."""
    return (
        local_to_utc(form.day.data, form.start.data),
        local_to_utc(form.day.data, form.end.data),
    )


def _add_errors(form: ShiftTimesForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


@bp.route(f"{PREFIX}/terminy/<int:shift_id>/edycja", methods=["GET", "POST"])
@login_required
def org_edit_shift(slug: str, shift_id: int):
    """Move a shift: a new day, start and end (Warsaw time); the volunteers are told."""
    organisation = get_organisation(slug)
    shift = get_own_shift(organisation, shift_id)
    target = url_for("volunteering.org_opportunity", slug=slug, opportunity_id=shift.opportunity_id)
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
        except volunteering.SignupRefused as refusal:
            db.session.rollback()
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
            if wants_fragment():
                return Response(status=204, headers={"HX-Redirect": target})
            return redirect(target), 303
    if request.method == "POST":
        return render_form_error("volunteering/org/shift_form.html", "form", **context)
    return render("volunteering/org/shift_form.html", "form", **context)


@bp.post(f"{PREFIX}/terminy/<int:shift_id>/miejsca")
@login_required
def org_change_capacity(slug: str, shift_id: int):
    organisation = get_organisation(slug)
    shift = get_own_shift(organisation, shift_id)
    form = CapacityForm()
    target = url_for("volunteering.org_opportunity", slug=slug, opportunity_id=shift.opportunity_id)
    if not form.validate_on_submit():
        flash(_("Podaj liczbę miejsc od 1 do 1000."), "error")
        return redirect(target), 303
    try:
        volunteering.change_capacity(shift.id, form.capacity.data, actor=current_user)
    except volunteering.SignupRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(_("Liczba miejsc zmieniona."), "success")
    return redirect(target), 303


@bp.post(f"{PREFIX}/terminy/<int:shift_id>/odwolaj")
@login_required
def org_cancel_shift(slug: str, shift_id: int):
    organisation = get_organisation(slug)
    shift = get_own_shift(organisation, shift_id)
    volunteering.cancel_shift(shift.id, actor=current_user)
    flash(_("Termin odwołany; zapisane osoby dostały e-mail."), "info")
    return redirect(
        url_for("volunteering.org_opportunity", slug=slug, opportunity_id=shift.opportunity_id)
    ), 303


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>/zgloszenia")
@login_required
def org_applicants(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    return render(
        "volunteering/org/applicants.html",
        organisation=organisation,
        opportunity=opportunity,
        now=utcnow(),
    )


def _applicant_row_url(slug: str, signup) -> str:
    """Back to the applicant's row on the applicants page after answering or recording hours."""
    return url_for(
        "volunteering.org_applicants",
        slug=slug,
        opportunity_id=signup.shift.opportunity_id,
        _anchor=f"signup-{signup.id}",
    )


@bp.post(f"{PREFIX}/zgloszenia/<int:signup_id>/decyzja")
@login_required
def org_decide(slug: str, signup_id: int):
    organisation = get_organisation(slug)
    signup = get_own_signup(organisation, signup_id)
    form = DecisionForm()
    target = _applicant_row_url(slug, signup)
    if not form.validate_on_submit():
        flash(_("Wybierz: przyjmij albo odrzuć."), "error")
        return redirect(target), 303
    try:
        volunteering.decide(
            signup.id,
            accept=form.decision.data == "accept",
            message=form.message.data or "",
            actor=current_user,
        )
    except volunteering.SignupRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(_("Odpowiedź wysłana."), "success")
    return redirect(target), 303


@bp.post(f"{PREFIX}/zgloszenia/<int:signup_id>/obecnosc")
@login_required
def org_attendance(slug: str, signup_id: int):
    organisation = get_organisation(slug)
    signup = get_own_signup(organisation, signup_id)
    form = AttendanceForm()
    target = _applicant_row_url(slug, signup)
    if not form.validate_on_submit():
        flash(_("Zaznacz obecność; godziny od 0 do 24."), "error")
        return redirect(target), 303
    try:
        volunteering.record_attendance(
            signup.id,
            attended=form.attended.data == "yes",
            hours=form.hours.data,
            actor=current_user,
        )
    except volunteering.SignupRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(_("Obecność zapisana."), "success")
    return redirect(target), 303


@bp.get(f"{PREFIX}/oferty/<int:opportunity_id>/zgloszenia.csv")
@login_required
def org_applicants_csv(slug: str, opportunity_id: int):
    organisation = get_organisation(slug)
    opportunity = get_own_opportunity(organisation, opportunity_id)
    # A BOM so spreadsheet programs read the Polish letters correctly.
    response = Response("\ufeff" + exports.applicants_csv(opportunity), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="zgloszenia-{opportunity.id}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"{PREFIX}/godziny")
@login_required
def org_hours(slug: str):
    organisation = get_organisation(slug)
    form = ReportForm(request.args)
    start, end = volunteering.default_report_period()
    rate = volunteering.hourly_rate()
    if form.validate():
        start = form.start.data or start
        end = form.end.data or end
        rate = form.rate.data if form.rate.data is not None else rate
    if end < start:
        start, end = end, start
    form.start.data, form.end.data, form.rate.data = start, end, Decimal(rate)
    report = volunteering.hours_report(organisation, start, end, Decimal(rate))
    return render(
        "volunteering/org/hours.html", organisation=organisation, form=form, report=report
    )
