"""City staff add, rename, translate, retire and (when unused) delete vocabulary entries.
Codes never change: other tables store them."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.vocabularies import forget
from app.vocabularies.models import DistrictNeighbour, Term, Vocabulary

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Podaj polską nazwę."), status=422, field="name")
    return name[:200]


def add(
    vocabulary: Vocabulary,
    code: str,
    name: str,
    name_en: str = "",
    name_uk: str = "",
    neighbours: list[str] | None = None,
) -> Term:
    """A new entry; a district with the districts it borders (``neighbours``, codes)."""
    code = (code or "").strip()
    if not CODE.match(code):
        raise DomainError(
            _l("Kod: małe litery bez polskich znaków, cyfry, - lub _ (do 40 znaków)."),
            status=422,
            field="code",
        )
    exists = sa.select(Term.id).where(Term.vocabulary == vocabulary, Term.code == code)
    if db.session.scalar(exists) is not None:
        raise DomainError(_l("Ten kod już jest na liście."), status=422, field="code")
    last = db.session.scalar(sa.select(sa.func.max(Term.position))) or 0
    term = Term(
        vocabulary=vocabulary,
        code=code,
        name=_name(name),
        name_en=(name_en or "").strip()[:200],
        name_uk=(name_uk or "").strip()[:200],
        position=last + 1,
    )
    bordering = _districts(neighbours or [], term) if vocabulary == Vocabulary.DISTRICT else []
    db.session.add(term)
    db.session.flush()
    _changed(term, "added")
    if bordering:
        _write_neighbours(term, bordering)
    return term


def _districts(codes: list[str], term: Term) -> list[Term]:
    """The district terms of ``codes`` (none may be unknown or ``term`` itself)."""
    wanted = {code.strip() for code in codes if code and code.strip()}
    if term.code in wanted:
        raise DomainError(
            _l("Osiedle nie może sąsiadować samo ze sobą."), status=422, field="neighbours"
        )
    found = list(
        db.session.scalars(
            sa.select(Term).where(Term.vocabulary == Vocabulary.DISTRICT, Term.code.in_(wanted))
        )
    )
    if len(found) != len(wanted):
        raise DomainError(_l("Wybierz sąsiednie osiedla z listy."), status=422, field="neighbours")
    return found


def neighbour_ids(term: Term) -> set[int]:
    rows = db.session.execute(
        sa.select(DistrictNeighbour.low_id, DistrictNeighbour.high_id).where(
            sa.or_(DistrictNeighbour.low_id == term.id, DistrictNeighbour.high_id == term.id)
        )
    )
    return {low if high == term.id else high for low, high in rows}


def _write_neighbours(term: Term, bordering: list[Term]) -> None:
    db.session.execute(
        sa.delete(DistrictNeighbour).where(
            sa.or_(DistrictNeighbour.low_id == term.id, DistrictNeighbour.high_id == term.id)
        )
    )
    for other in bordering:
        low, high = sorted((term.id, other.id))
        db.session.add(DistrictNeighbour(low_id=low, high_id=high))
    db.session.flush()
    forget()


def set_neighbours(term: Term, codes: list[str]) -> None:
    """Record which districts border ``term`` (both ways: each of them borders it too)."""
    if term.vocabulary != Vocabulary.DISTRICT:
        raise DomainError(_l("Sąsiadów mają tylko osiedla."), status=422, field="neighbours")
    bordering = _districts(codes, term)
    _write_neighbours(term, bordering)
    names = ", ".join(sorted(other.code for other in bordering)) or "-"
    audit.record("vocabulary.changed", details=f"{term.vocabulary}:{term.code} neighbours: {names}")


def update(term: Term, name: str, name_en: str = "", name_uk: str = "") -> None:
    """Rename or translate (the code stays)."""
    term.name = _name(name)
    term.name_en = (name_en or "").strip()[:200]
    term.name_uk = (name_uk or "").strip()[:200]
    db.session.flush()
    _changed(term, "renamed")


def retire(term: Term) -> None:
    """No longer offered in forms and filters; what uses it keeps its name."""
    if term.retired_at is None:
        term.retired_at = utcnow()
        db.session.flush()
        _changed(term, "retired")


def restore(term: Term) -> None:
    if term.retired_at is not None:
        term.retired_at = None
        db.session.flush()
        _changed(term, "restored")


def uses(term: Term) -> int:
    """How many records use the code (organisations, spaces, offers, volunteers' profiles)."""
    from app.organisations.models import OrganisationDistrict
    from app.spaces.models import Space, SpaceFeature
    from app.volunteering.models import Opportunity, VolunteerProfile

    if term.vocabulary == Vocabulary.DISTRICT:
        columns = (
            OrganisationDistrict.code,
            Space.district,
            Opportunity.district,
            VolunteerProfile.district,
        )
    else:
        columns = (SpaceFeature.code,)
    return sum(
        db.session.scalar(sa.select(sa.func.count()).where(column == term.code)) or 0
        for column in columns
    )


def delete(term: Term) -> None:
    if uses(term):
        raise DomainError(
            _l("Ten wpis jest używany: zamiast usuwać, wycofaj go z list."), status=409
        )
    _changed(term, "deleted")
    db.session.execute(  # its borders go with it (also ON DELETE CASCADE)
        sa.delete(DistrictNeighbour).where(
            sa.or_(DistrictNeighbour.low_id == term.id, DistrictNeighbour.high_id == term.id)
        )
    )
    db.session.delete(term)
    db.session.flush()


def _changed(term: Term, what: str) -> None:
    forget()
    audit.record("vocabulary.changed", details=f"{term.vocabulary}:{term.code} {what}: {term.name}")
