"""CSV import of organisations (``flask --app wsgi import-organisations FILE.csv``).

The file is UTF-8 (with or without a BOM; Windows-1250 from older spreadsheets is accepted too),
separated by ``;`` or ``,`` (detected from the header). Columns, in any order, headers
case- and diacritics-insensitive; the open-data export has the same columns, so an export can
be re-imported:

=====================  ==========================================================================
krs                    required, 10 digits: the key (a row with a known KRS updates that profile)
nazwa                  required
forma_prawna           fundacja / stowarzyszenie / stowarzyszenie zwykłe / klub sportowy / ...
                       or a code (foundation, association, ...)
nip, regon             optional, check digits are verified
krotki_opis, opis      short (max 300 characters) and long description
ulica, kod_pocztowy,   address (postcode as 87-100)
miejscowosc
email, telefon, www    contacts
media_spolecznosciowe  URLs separated by spaces or new lines
sfery                  areas of public benefit: codes (``seniors``) or points of art. 4 ust. 1
                       (``10``, ``1a``), separated by ``|``
kompetencje            names from the curated competence list, separated by ``|``
tagi                   free tags, separated by commas
osiedla                districts of Toruń: names or codes, separated by ``|``
=====================  ==========================================================================

Empty optional cells leave the stored value unchanged on update. Each row is saved in its own
short transaction: a bad row is reported and skipped, the good ones are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from app.districts import DISTRICTS
from app.extensions import db
from app.organisations import identifiers
from app.organisations.models import LEGAL_FORM_LABELS, Competence, LegalForm, Organisation
from app.organisations.service import (
    PROFILE_FIELDS,
    apply_profile,
    organisation_by_krs,
    unique_slug,
)
from app.organisations.spheres import SPHERES
from app.search.text import fold
from app.unit_of_work import transaction

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


@dataclass
class RowResult:
    line: int
    status: str
    krs: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)


class ImportFileError(Exception):
    pass


def _polish_outside_requests(function):
    """The command runs without a request (no browser language): its messages are Polish."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        if has_request_context():
            return function(*args, **kwargs)
        with force_locale("pl"):
            return function(*args, **kwargs)

    return wrapper


def _key(header: str) -> str:
    return "_".join(fold(header).replace("-", " ").split())


@_polish_outside_requests
def read_rows(data: bytes) -> tuple[list[dict], list[str]]:
    """Decode and parse the file; returns the rows (with a "_line" number) and warnings."""
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1250", errors="replace")
        warnings.append(_("Plik nie jest w UTF-8; odczytano go jako Windows-1250."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("Plik jest pusty.")) from None
    keys = [_key(h) for h in header]
    missing = {"krs", "nazwa"} - set(keys)
    if missing:
        raise ImportFileError(
            _("Brak wymaganych kolumn: %(columns)s.", columns=", ".join(sorted(missing)))
        )
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {k: (values[i].strip() if i < len(values) else "") for i, k in enumerate(keys)}
        row["_line"] = reader.line_num
        rows.append(row)
    return rows, warnings


def _lookup(mapping: dict[str, str], values: Iterable[str], what: str, reasons: list[str]):
    found = []
    for value in values:
        code = mapping.get(fold(value.strip()))
        if code is None:
            reasons.append(_("Nieznana wartość w kolumnie %(column)s: %(value)s", column=what,
                             value=value.strip()))  # fmt: skip
        else:
            found.append(code)
    return found


def _split(cell: str, separator: str = "|") -> list[str]:
    return [part for part in (p.strip() for p in cell.split(separator)) if part]


def _vocabularies() -> dict[str, dict[str, str]]:
    with force_locale("pl"):
        legal = {fold(str(label)): form.value for form, label in LEGAL_FORM_LABELS.items()}
    legal.update({form.value: form.value for form in LegalForm})
    spheres = {s.code: s.code for s in SPHERES} | {s.point: s.code for s in SPHERES}
    districts = {fold(name): code for code, name in DISTRICTS} | {c: c for c, _n in DISTRICTS}
    competences = {fold(c.name): str(c.id) for c in db.session.scalars(sa.select(Competence))}
    return {"legal": legal, "spheres": spheres, "districts": districts, "competences": competences}


def parse_row(row: dict, vocab: dict) -> tuple[dict, list[str]]:
    """The profile fields of one row and the reasons to reject it (empty when fine)."""
    reasons: list[str] = []
    fields: dict = {}
    try:
        fields["krs"] = identifiers.normalise_krs(row.get("krs", ""))
    except ValueError as error:
        reasons.append(str(error))
    name = row.get("nazwa", "")
    if not name:
        reasons.append(_("Brak nazwy organizacji."))
    elif len(name) > 300:
        reasons.append(_("Nazwa jest dłuższa niż 300 znaków."))
    else:
        fields["name"] = name
    for column, normaliser in (
        ("nip", identifiers.normalise_nip),
        ("regon", identifiers.normalise_regon),
    ):
        if row.get(column):
            try:
                fields[column] = normaliser(row[column])
            except ValueError as error:
                reasons.append(f"{column.upper()}: {error}")
    if row.get("forma_prawna"):
        form = vocab["legal"].get(fold(row["forma_prawna"]))
        if form is None:
            reasons.append(_("Nieznana forma prawna: %(value)s", value=row["forma_prawna"]))
        else:
            fields["legal_form"] = LegalForm(form)
    simple = {
        "krotki_opis": ("short_description", 300),
        "opis": ("description", 20000),
        "ulica": ("street", 200),
        "kod_pocztowy": ("postcode", 6),
        "miejscowosc": ("city", 100),
        "email": ("email", 254),
        "telefon": ("phone", 40),
        "www": ("website", 300),
        "tagi": ("tags", 500),
    }
    for column, (name_, limit) in simple.items():
        if row.get(column):
            if len(row[column]) > limit:
                reasons.append(
                    _("Kolumna %(column)s: najwyżej %(limit)d znaków.", column=column, limit=limit)
                )
            else:
                fields[name_] = row[column]
    if row.get("media_spolecznosciowe"):
        fields["social_links"] = "\n".join(row["media_spolecznosciowe"].split())
    if row.get("sfery"):
        fields["areas"] = _lookup(vocab["spheres"], _split(row["sfery"]), "sfery", reasons)
    if row.get("osiedla"):
        fields["districts"] = _lookup(
            vocab["districts"], _split(row["osiedla"]), "osiedla", reasons
        )
    if row.get("kompetencje"):
        ids = _lookup(vocab["competences"], _split(row["kompetencje"]), "kompetencje", reasons)
        fields["competence_ids"] = [int(i) for i in ids]
    return fields, reasons


def _snapshot(organisation: Organisation) -> tuple:
    return (
        tuple(getattr(organisation, f) for f in PROFILE_FIELDS),
        tuple(sorted(organisation.area_codes)),
        tuple(sorted(organisation.district_codes)),
        tuple(sorted(c.id for c in organisation.competences)),
    )


@_polish_outside_requests
def import_rows(rows: list[dict], progress: Callable[[], None] | None = None) -> list[RowResult]:
    vocab = _vocabularies()
    results = []
    for row in rows:
        result = RowResult(line=row["_line"], status=REJECTED, krs=row.get("krs", ""),
                           name=row.get("nazwa", ""))  # fmt: skip
        fields, reasons = parse_row(row, vocab)
        if reasons:
            result.reasons = reasons
        else:
            try:
                # One short transaction per row: a bad row rolls back alone, a crash keeps
                # the rows before it, and on SQLite the app's own writers are not locked out
                # for the whole import.
                with transaction():
                    result.status = _save(fields)
            except sa.exc.SQLAlchemyError as error:  # e.g. a constraint; the row is skipped
                result.status = REJECTED
                result.reasons = [_("Błąd zapisu: %(error)s", error=type(error).__name__)]
        results.append(result)
        if progress:
            progress()
    return results


def _save(fields: dict) -> str:
    organisation = organisation_by_krs(fields["krs"])
    if organisation is None:
        organisation = Organisation(slug=unique_slug(fields["name"]))
        db.session.add(organisation)
        apply_profile(organisation, fields)
        db.session.flush()
        return CREATED
    before = _snapshot(organisation)
    last_updated = organisation.profile_updated_at
    apply_profile(organisation, fields)
    if _snapshot(organisation) == before:
        organisation.profile_updated_at = last_updated
        return UNCHANGED
    db.session.flush()
    return UPDATED
