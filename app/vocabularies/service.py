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
from app.vocabularies.models import Term, Vocabulary

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Podaj polską nazwę."), status=422, field="name")
    return name[:200]


def add(vocabulary: Vocabulary, code: str, name: str, name_en: str = "", name_uk: str = "") -> Term:
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
    db.session.add(term)
    db.session.flush()
    _changed(term, "added")
    return term


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
    db.session.delete(term)
    db.session.flush()


def _changed(term: Term, what: str) -> None:
    forget()
    audit.record("vocabulary.changed", details=f"{term.vocabulary}:{term.code} {what}: {term.name}")
