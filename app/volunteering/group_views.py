"""Routes of school volunteering clubs: the coordinator's group sign-up, the group's page with
the pupils and their paper consent forms, and a certificate per pupil."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db, limiter
from app.rendering import form_error_status, render, see_other
from app.volunteering import groups
from app.volunteering.blueprint import bp
from app.volunteering.views import get_shift_or_404

FORM_PAGE = "volunteering/group_signup.html"


@bp.app_context_processor
def _group_helpers():
    return {"my_school_groups": lambda: groups.groups_of(current_user)}


class GroupSignupForm(FlaskForm):
    school = StringField(
        _l("Szkoła i koło wolontariatu"),
        validators=[InputRequired(_l("Podaj szkołę.")), Length(max=200)],
    )
    pupils = TextAreaField(
        _l("Uczniowie"),
        description=_l(
            "Jeden uczeń w wierszu: imię i nazwisko; rok urodzenia; rodzic lub opiekun. Np. „Jan Nowak; 2011; Anna Nowak”."
        ),
        validators=[InputRequired(_l("Wpisz co najmniej jednego ucznia.")), Length(max=6000)],
    )


def get_own_group_or_404(group_id: int) -> groups.SchoolGroup:
    group = db.get_or_404(groups.SchoolGroup, group_id)
    if group.coordinator_id is None or group.coordinator_id != current_user.id:
        abort(404)
    return group


@bp.route("/terminy/<int:shift_id>/zapis-grupy", methods=["GET", "POST"])
@login_required
@limiter.limit("30/hour", methods=["POST"])
def group_signup(shift_id: int):
    shift = get_shift_or_404(shift_id)
    form = GroupSignupForm()
    context = {"shift": shift, "opportunity": shift.opportunity, "form": form}
    if form.validate_on_submit():
        try:
            pupils = groups.parse_pupils(form.pupils.data)
            group = groups.sign_up_group(
                shift.id, coordinator=current_user, school=form.school.data, pupils=pupils
            )
        except DomainError as refusal:
            if refusal.field == "pupils":
                form.pupils.errors = [refusal.message]
                return render(FORM_PAGE, "form", status=form_error_status(), **context)
            return render(
                FORM_PAGE, "form", status=refusal.status, refusal=refusal.message, **context
            )
        flash(
            _(
                "Grupa zapisana. Wydrukuj formularze zgody rodziców lub opiekunów; organizacja zapisze ich otrzymanie."
            ),
            "success",
        )
        return see_other(url_for("volunteering.school_group", group_id=group.id))
    status = form_error_status() if form.is_submitted() else 200
    return render(FORM_PAGE, "form", status=status, **context)


@bp.get("/grupy/<int:group_id>")
@login_required
def school_group(group_id: int):
    group = get_own_group_or_404(group_id)
    return render("volunteering/group.html", group=group, now=utcnow())


@bp.get("/grupy/<int:group_id>/zaswiadczenie/<int:signup_id>")
@login_required
def pupil_certificate(group_id: int, signup_id: int):
    group = get_own_group_or_404(group_id)
    pupil = next((p for p in group.pupils if p.id == signup_id), None)
    if pupil is None or pupil.hours_confirmed_at is None or not pupil.hours:
        abort(404)
    return render(
        "volunteering/pupil_certificate.html",
        group=group,
        pupil=pupil,
        organisation=group.shift.opportunity.organisation,
        total=pupil.hours or Decimal(0),
        issued=utcnow(),
    )
