"""City staff's routes: requests to claim profiles, the competence list (verification is on
/urzad/weryfikacja, app/staff/verification_views.py)."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from app import permissions  # a module import: app.permissions imports our models
from app.domain import DomainError
from app.extensions import db
from app.organisations import service as orgs
from app.organisations.blueprint import bp
from app.organisations.forms import CompetenceForm
from app.organisations.models import Competence
from app.rendering import render, render_form_error, see_other


def staff_required(view):
    """``permissions.staff_required``, looked up at call time (app.permissions imports our
    models, so it is not fully loaded while this module is)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return permissions.staff_required(view)(*args, **kwargs)

    return wrapper


def get_competence_or_404(competence_id: int) -> Competence:
    competence = db.session.get(Competence, competence_id)
    if competence is None:
        abort(404)
    return competence


@bp.get("/prosby")
@staff_required
def requests():
    return render("organisations/requests.html", "panel", requests=orgs.pending_requests())


@bp.route("/kompetencje", methods=["GET", "POST"])
@staff_required
def competences():
    form = CompetenceForm()
    if form.validate_on_submit():
        try:
            orgs.save_competence(
                form.name.data, name_en=form.name_en.data, name_uk=form.name_uk.data
            )
        except DomainError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Dodano kompetencję."), "success")
            return see_other(url_for("organisations.competences"))
    context = {"form": form, "competences": orgs.all_competences()}
    if request.method == "POST":
        return render_form_error("organisations/competences.html", "form", **context)
    return render("organisations/competences.html", "form", **context)


@bp.post("/kompetencje/<int:competence_id>")
@staff_required
def update_competence(competence_id: int):
    competence = get_competence_or_404(competence_id)
    if request.form.get("action") == "delete":
        orgs.delete_competence(competence)
        flash(_("Usunięto kompetencję."), "success")
        return see_other(url_for("organisations.competences"))
    form = CompetenceForm()
    if not form.validate_on_submit():
        flash(_("Podaj nazwę."), "error")
        return see_other(url_for("organisations.competences"))
    # A name already on the list is refused by app.errors (the page's message region).
    orgs.save_competence(
        form.name.data, competence, name_en=form.name_en.data, name_uk=form.name_uk.data
    )
    flash(_("Zmieniono nazwę kompetencji."), "success")
    return see_other(url_for("organisations.competences"))
