"""Routes of time sheets: the volunteer's karta pracy for an engagement and the organisation's
confirmations and corrections."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import DomainError
from app.extensions import db
from app.rendering import form_error_status, render, see_other
from app.volunteering.agreements import timesheets
from app.volunteering.agreements.forms import ConfirmEntryForm, TimesheetForm
from app.volunteering.agreements.models import TimesheetEntry
from app.volunteering.agreements.views import (
    get_organisation_or_404,
    get_own_agreement_or_404,
)
from app.volunteering.blueprint import bp

VOLUNTEER_PAGE = "volunteering/agreements/timesheet.html"
ORGANISATION_PAGE = "volunteering/agreements/org_timesheets.html"


def _volunteer_page(agreement, form, status=200, error=None):
    return render(
        VOLUNTEER_PAGE,
        "timesheet",
        agreement=agreement,
        form=form,
        entries=timesheets.entries_of(agreement),
        total=timesheets.confirmed_total(agreement),
        keeps=timesheets.keeps_timesheet(agreement.opportunity),
        error=error,
        status=status,
    )


@bp.route("/porozumienia/<int:agreement_id>/karta-pracy", methods=["GET", "POST"])
@login_required
def my_timesheet(agreement_id: int):
    agreement = get_own_agreement_or_404(agreement_id)
    form = TimesheetForm()
    if form.validate_on_submit():
        try:
            timesheets.log_hours(
                agreement.id,
                user=current_user,
                day=form.day.data,
                hours=form.hours.data,
                description=form.description.data,
            )
        except DomainError as refusal:
            field = getattr(form, refusal.field or "", None)
            if field is not None:
                field.errors = [refusal.message]
                return _volunteer_page(agreement, form, status=refusal.status)
            return _volunteer_page(agreement, form, status=refusal.status, error=refusal.message)
        flash(_("Godziny wpisane do karty pracy. Organizacja je potwierdzi."), "success")
        return see_other(url_for("volunteering.my_timesheet", agreement_id=agreement.id))
    if form.is_submitted():
        return _volunteer_page(agreement, form, status=form_error_status())
    return _volunteer_page(agreement, form)


@bp.get("/organizacja/<slug>/karty-pracy")
@login_required
def org_timesheets(slug: str):
    organisation = get_organisation_or_404(slug)
    return render(
        ORGANISATION_PAGE,
        organisation=organisation,
        entries=timesheets.unconfirmed_of(organisation.id),
        form=ConfirmEntryForm(),
    )


@bp.post("/organizacja/<slug>/karty-pracy/<int:entry_id>")
@login_required
def org_confirm_entry(slug: str, entry_id: int):
    organisation = get_organisation_or_404(slug, staff_ok=False)
    entry = db.get_or_404(TimesheetEntry, entry_id)
    if entry.agreement.opportunity.organisation_id != organisation.id:
        abort(404)
    form = ConfirmEntryForm()
    if not form.validate_on_submit():
        raise DomainError(
            _("Podaj od 0 do 24 godzin; uzasadnienie do 300 znaków."), status=422, field="hours"
        )
    timesheets.confirm(
        entry.id, hours=form.hours.data, note=form.note.data or "", actor=current_user
    )
    flash(_("Wpis w karcie pracy potwierdzony."), "success")
    return see_other(url_for("volunteering.org_timesheets", slug=organisation.slug))
