"""Reading the vocabularies (districts, equipment, accessibility): one query per request at
most, cached on the request (outside requests, in the app context until a write clears it).

    from app.vocabularies import names, active_choices
    names("district")["rubinkowo"]  # -> "Rubinkowo", in the current language

The lazy views below (``LazyNames``, ``LazyCodes``, ``LazyPairs``) let modules keep their
module-level names (``DISTRICTS_BY_CODE``, ``EQUIPMENT``...) while every use reads the table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context, request

from app.vocabularies.models import Term, Vocabulary

_KEY = "wspolnie.vocabulary_terms"


@dataclass(frozen=True)
class Entry:
    """A plain copy of a ``Term`` row: cached values never expire with the session."""

    id: int
    vocabulary: str
    code: str
    name: str
    name_en: str
    name_uk: str
    is_retired: bool

    label_in = Term.label_in


def _load() -> list[Entry]:
    from app.extensions import db

    rows = db.session.scalars(sa.select(Term).order_by(Term.vocabulary, Term.position, Term.name))
    return [
        Entry(t.id, str(t.vocabulary), t.code, t.name, t.name_en, t.name_uk, t.is_retired)
        for t in rows
    ]


def _cache() -> dict:
    """{"terms": [...], (vocabulary, locale, retired): {code: name}} for this request (or app
    context); a fresh dict, not kept, outside both."""
    if has_request_context():
        return request.environ.setdefault(_KEY, {})
    if has_app_context():
        if not hasattr(g, "vocabulary_terms"):
            g.vocabulary_terms = {}
        return g.vocabulary_terms
    return {}


def all_terms() -> list[Entry]:
    cache = _cache()
    if "terms" not in cache:
        cache["terms"] = _load()
    return cache["terms"]


def forget() -> None:
    """After a write: the next read loads the table again."""
    if has_request_context():
        request.environ.pop(_KEY, None)
    if has_app_context():
        g.pop("vocabulary_terms", None)


def terms(vocabulary: str, *, retired: bool = True) -> list[Entry]:
    return [t for t in all_terms() if t.vocabulary == vocabulary and (retired or not t.is_retired)]


def _locale() -> str:
    from flask_babel import get_locale

    locale = get_locale() if has_app_context() else None
    return str(locale) if locale else "pl"


def names(vocabulary: str, *, retired: bool = True) -> dict[str, str]:
    """code -> name in the current language (retired codes too: what uses them keeps a name)."""
    locale = _locale()
    cache = _cache()
    key = (str(vocabulary), locale, retired)
    if key not in cache:
        cache[key] = {t.code: t.label_in(locale) for t in terms(vocabulary, retired=retired)}
    return cache[key]


def neighbours() -> dict[str, list[str]]:
    """district code -> the codes of the districts bordering it (both ways, in the staff's
    order; retired districts included: callers leave them out as they need). One query per
    request."""
    cache = _cache()
    if "neighbours" not in cache:
        from app.extensions import db
        from app.vocabularies.models import DistrictNeighbour

        codes = {t.id: t.code for t in terms(Vocabulary.DISTRICT)}
        order = {t.code: i for i, t in enumerate(terms(Vocabulary.DISTRICT))}
        result: dict[str, list[str]] = {}
        for low, high in db.session.execute(
            sa.select(DistrictNeighbour.low_id, DistrictNeighbour.high_id)
        ):
            if low in codes and high in codes:
                result.setdefault(codes[low], []).append(codes[high])
                result.setdefault(codes[high], []).append(codes[low])
        cache["neighbours"] = {
            code: sorted(found, key=order.__getitem__) for code, found in result.items()
        }
    return cache["neighbours"]


def active_choices(vocabulary: str) -> list[tuple[str, str]]:
    """(code, name) of the entries offered in forms and filters."""
    return list(names(vocabulary, retired=False).items())


def name_of(vocabulary: str, code: str | None) -> str:
    return names(vocabulary).get(code or "", code or "")


class LazyNames(Mapping):
    """code -> name of one vocabulary, read when used (retired codes included)."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary

    def __getitem__(self, code: str) -> str:
        return names(self.vocabulary)[code]

    def __iter__(self) -> Iterator[str]:
        return iter(names(self.vocabulary))

    def __len__(self) -> int:
        return len(names(self.vocabulary))


class LazyCodes(AbstractSet):
    """The codes one may choose now (retired ones left out)."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary

    def __contains__(self, code) -> bool:
        return code in names(self.vocabulary, retired=False)

    def __iter__(self) -> Iterator[str]:
        return iter(names(self.vocabulary, retired=False))

    def __len__(self) -> int:
        return len(names(self.vocabulary, retired=False))


class LazyPairs(Sequence):
    """(code, name) pairs one may choose now, in the staff's order."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary

    def __getitem__(self, index):
        return active_choices(self.vocabulary)[index]

    def __iter__(self):
        return iter(active_choices(self.vocabulary))

    def __len__(self) -> int:
        return len(active_choices(self.vocabulary))
