"""City staff manage the vocabularies: districts, equipment and accessibility features."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from app.domain import DomainError
from app.extensions import db
from app.permissions import staff_required
from app.rendering import render, see_other
from app.staff.blueprint import bp
from app.vocabularies import service as vocabularies
from app.vocabularies import terms
from app.vocabularies.models import VOCABULARY_LABELS, Term, Vocabulary


def _page(status: int = 200, errors: dict | None = None, values: dict | None = None):
    sections = [
        (vocabulary, label, terms(vocabulary)) for vocabulary, label in VOCABULARY_LABELS.items()
    ]
    return render(
        "staff/vocabularies.html",
        "vocabularies",
        status=status,
        sections=sections,
        errors=errors or {},
        values=values or {},
    )


def _fields() -> dict:
    return {key: request.form.get(key, "") for key in ("name", "name_en", "name_uk")}


@bp.route("/slowniki", methods=["GET", "POST"])
@staff_required
def vocabularies_page():
    if request.method == "GET":
        return _page()
    try:
        vocabulary = Vocabulary(request.form.get("vocabulary", ""))
    except ValueError:
        abort(400)
    code = request.form.get("code", "")
    try:
        vocabularies.add(vocabulary, code, **_fields())
    except DomainError as error:
        key = f"new-{vocabulary}"
        return _page(422, {key: (error.field, error.message)}, {key: {"code": code, **_fields()}})
    flash(_("Dodano wpis do słownika."), "success")
    return see_other(url_for("staff.vocabularies_page") + f"#{vocabulary}")


@bp.post("/slowniki/<int:term_id>")
@staff_required
def update_term(term_id: int):
    term = db.session.get(Term, term_id)
    if term is None:
        abort(404)
    action = request.form.get("action")
    done = {
        "save": _("Zapisano nazwy."),
        "retire": _("Wycofano wpis z list; to, co go używa, zachowuje nazwę."),
        "restore": _("Przywrócono wpis na listy."),
        "delete": _("Usunięto wpis."),
    }
    if action not in done:
        abort(400)
    try:
        if action == "save":
            vocabularies.update(term, **_fields())
        else:
            getattr(vocabularies, action)(term)
    except DomainError as error:
        if error.field != "name":
            raise
        return _page(422, {term.id: (error.field, error.message)}, {term.id: _fields()})
    flash(done[action], "success")
    return see_other(url_for("staff.vocabularies_page") + f"#{term.vocabulary}")
