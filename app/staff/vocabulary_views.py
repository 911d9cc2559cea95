"""City staff manage the vocabularies: districts, equipment and accessibility features."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from app.domain import DomainError
from app.extensions import db
from app.permissions import staff_required
from app.rendering import render, see_other
from app.staff.blueprint import bp
from app.vocabularies import names, terms
from app.vocabularies import neighbours as vocabulary_neighbours
from app.vocabularies import service as vocabularies
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
        neighbours=vocabulary_neighbours(),
        district_names=names(Vocabulary.DISTRICT),
        districts=terms(Vocabulary.DISTRICT, retired=False),
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
    bordering = request.form.getlist("neighbours")
    try:
        vocabularies.add(vocabulary, code, **_fields(), neighbours=bordering)
    except DomainError as error:  # raised before anything was written
        key = f"new-{vocabulary}"
        values = {key: {"code": code, "neighbours": bordering, **_fields()}}
        return _page(422, {key: (error.field, error.message)}, values)
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


def _district_or_404(term_id: int) -> Term:
    term = db.session.get(Term, term_id)
    if term is None or term.vocabulary != Vocabulary.DISTRICT:
        abort(404)
    return term


@bp.route("/slowniki/<int:term_id>/sasiedzi", methods=["GET", "POST"])
@staff_required
def district_neighbours(term_id: int):
    """Which districts border this one (venue matching suggests rooms there): the relation is
    symmetric, so ticking B here makes this district B's neighbour too."""
    term = _district_or_404(term_id)
    chosen = set(vocabulary_neighbours().get(term.code, []))
    status, error = 200, None
    if request.method == "POST":
        chosen = set(request.form.getlist("neighbours"))
        try:
            vocabularies.set_neighbours(term, sorted(chosen))
        except DomainError as problem:  # raised before anything was written
            status, error = 422, problem.message
        else:
            flash(_("Zapisano sąsiednie osiedla."), "success")
            return see_other(url_for("staff.vocabularies_page") + "#district")
    others = [t for t in terms(Vocabulary.DISTRICT) if t.code != term.code]
    return render(
        "staff/district_neighbours.html",
        status=status,
        term=term,
        others=[t for t in others if not t.is_retired or t.code in chosen],
        chosen=chosen,
        error=error,
    )
