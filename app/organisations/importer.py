"""CSV import of organisations (``flask --app wsgi import-organisations FILE.csv``).

The file is UTF-8 (with or without a BOM; Windows-1250 from older spreadsheets is accepted too),
separated by ``;`` or ``,`` (detected from the header). Columns, in any order, headers
case- and diacritics-insensitive; the open-data export has the same columns, so an export can
be re-imported:

=====================  ==========================================================================
krs                    10 digits: the key (a row with a known KRS updates that profile); empty for
                       organisations outside the KRS (stowarzyszenia zwykłe, KGW ...), which are
                       matched by ``adres_profilu`` (the export's profile URL) or by name and
                       districts
nazwa                  required
forma_prawna           fundacja / stowarzyszenie / stowarzyszenie zwykłe / klub sportowy / ...
                       or a code (foundation, association, ...)
nip, regon             optional, check digits are verified
krotki_opis, opis      short (max 300 characters) and long description
ulica, kod_pocztowy,   address (postcode as 87-100)
miejscowosc
email, telefon, www    contacts, checked as the profile form checks them (app/organisations/contacts.py)
media_spolecznosciowe  URLs separated by spaces or new lines
sfery                  areas of public benefit: codes (``seniors``) or points of art. 4 ust. 1
                       (``10``, ``1a``), separated by ``|``
kompetencje            names from the curated competence list, separated by ``|``
tagi                   free tags, separated by commas
osiedla                districts of Toruń: names or codes, separated by ``|``
oferty                 ``kind: title`` (kind: expertise, space, equipment, service), separated by
                       ``|``; read when the profile is created
projekty               ``title (2024)`` or ``title (2024–2026)``, separated by ``|``; on creation
zweryfikowana,         ``tak``/``nie`` and the date of the last update, taken over on creation
ostatnia_aktualizacja
adres_profilu          the profile URL of the export: its slug is kept on creation
=====================  ==========================================================================

Headers are also recognised in their usual variants ("E-mail", "Telefon", "WWW", "Kod pocztowy",
"email address", "website" ...); a column the import does not know is reported, never silently
dropped. A profile appearing twice in one file (same KRS, profile URL, or name and districts) is
reported and its later rows skipped.

Empty optional cells leave the stored value unchanged on update. Each row is saved in its own
short transaction: a bad row is reported and skipped, the good ones are kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import wraps

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from app.db import utcnow
from app.districts import DISTRICTS
from app.extensions import db
from app.inputs import csv_uncell, strip_controls
from app.organisations import contacts, identifiers
from app.organisations.models import (
    LEGAL_FORM_LABELS,
    Competence,
    LegalForm,
    Offer,
    OfferKind,
    Organisation,
    Project,
)
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


# The columns of the open-data export (app/organisations/opendata.py) and the usual other names
# of each in spreadsheets people keep ("E-mail", "Telefon", "WWW", "Kod pocztowy" ...).
_ALIASES = {
    "krs": ("numer_krs", "nr_krs"),
    "nazwa": ("name", "nazwa_organizacji", "organizacja"),
    "forma_prawna": ("legal_form", "forma"),
    "nip": ("numer_nip", "nr_nip"),
    "regon": ("numer_regon", "nr_regon"),
    "krotki_opis": ("short_description", "opis_krotki"),
    "opis": ("description", "opis_dzialalnosci"),
    "ulica": ("street", "adres", "ulica_i_numer"),
    "kod_pocztowy": ("kod", "postcode", "postal_code", "zip_code", "zip"),
    "miejscowosc": ("city", "miasto"),
    "email": ("e_mail", "mail", "adres_e_mail", "adres_email", "e_mail_kontaktowy",
              "email_address", "e_mail_address"),
    "telefon": ("tel", "phone", "telephone", "nr_telefonu", "numer_telefonu", "phone_number"),
    "www": ("strona", "strona_www", "strona_internetowa", "website", "url", "web"),
    "media_spolecznosciowe": ("social_media", "social_links", "media"),
    "sfery": ("areas", "sfery_pozytku_publicznego"),
    "kompetencje": ("competences",),
    "tagi": ("tags", "inne_tagi"),
    "osiedla": ("districts",),
    "oferty": ("offers",),
    "projekty": ("projects",),
    "zweryfikowana": ("verified",),
    "ostatnia_aktualizacja": ("last_updated",),
    "adres_profilu": ("profil", "slug"),
}  # fmt: skip
_COLUMNS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases} | {
    column: column for column in _ALIASES
}


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
    keys = [_COLUMNS.get(_key(h), "") for h in header]
    if "nazwa" not in keys:
        raise ImportFileError(_("Brak wymaganych kolumn: %(columns)s.", columns="nazwa"))
    unknown = [h.strip() for h, k in zip(header, keys, strict=True) if not k and h.strip()]
    if unknown:
        warnings.append(_("Nieznane kolumny pominięto: %(columns)s.", columns=", ".join(unknown)))
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {
            k: strip_controls(csv_uncell(values[i].strip())) if i < len(values) else ""
            for i, k in enumerate(keys)
            if k
        }
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
    if row.get("krs"):
        try:
            fields["krs"] = identifiers.normalise_krs(row["krs"])
        except ValueError as error:
            reasons.append(str(error))
    name = row.get("nazwa", "")
    if not name:
        reasons.append(_("Brak nazwy organizacji."))
    elif len(name) > 300:
        reasons.append(_("Nazwa jest dłuższa niż 300 znaków."))
    else:
        fields["name"] = name
    for column, name_, normaliser in (
        ("nip", "nip", identifiers.normalise_nip),
        ("regon", "regon", identifiers.normalise_regon),
        ("email", "email", contacts.normalise_email),
        ("telefon", "phone", contacts.normalise_phone),
        ("www", "website", contacts.normalise_url),
        ("kod_pocztowy", "postcode", contacts.normalise_postcode),
        ("media_spolecznosciowe", "social_links", contacts.normalise_social_links),
    ):
        if row.get(column):
            try:
                fields[name_] = normaliser(row[column])
            except ValueError as error:
                reasons.append(f"{column}: {error}")
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
        "miejscowosc": ("city", 100),
        "tagi": ("tags", 500),
        "email": ("email", 254),
        "telefon": ("phone", 40),
        "www": ("website", 300),
        "media_spolecznosciowe": ("social_links", 2000),
    }
    for column, (name_, limit) in simple.items():
        if row.get(column):
            if len(row[column]) > limit:
                reasons.append(
                    _("Kolumna %(column)s: najwyżej %(limit)d znaków.", column=column, limit=limit)
                )
            elif name_ not in fields:
                fields[name_] = row[column]
    if row.get("sfery"):
        fields["areas"] = _lookup(vocab["spheres"], _split(row["sfery"]), "sfery", reasons)
    if row.get("osiedla"):
        fields["districts"] = _lookup(
            vocab["districts"], _split(row["osiedla"]), "osiedla", reasons
        )
    if row.get("kompetencje"):
        ids = _lookup(vocab["competences"], _split(row["kompetencje"]), "kompetencje", reasons)
        fields["competence_ids"] = [int(i) for i in ids]
    fields.update(_creation_fields(row, reasons))
    return fields, reasons


_PROJECT = re.compile(r"(?P<title>.+?)\s*\((?P<start>\d{4})(?:\s*[–-]\s*(?P<end>\d{4}))?\)")


def _creation_fields(row: dict, reasons: list[str]) -> dict:
    """What the open-data export carries beyond the profile (its ``_offers_cell`` and
    ``_projects_cell``); used when the profile is created, so that an import into an empty base
    gives back the same export."""
    fields: dict = {}
    offers = []
    for cell in _split(row.get("oferty", "")):
        kind, _sep, title = cell.partition(":")
        if kind.strip() not in {k.value for k in OfferKind} or not title.strip():
            reasons.append(_("Nieznana wartość w kolumnie %(column)s: %(value)s", column="oferty",
                             value=cell))  # fmt: skip
        else:
            offers.append(Offer(kind=OfferKind(kind.strip()), title=title.strip()[:200]))
    projects = []
    for cell in _split(row.get("projekty", "")):
        match = _PROJECT.fullmatch(cell)
        if match is None:
            reasons.append(_("Nieznana wartość w kolumnie %(column)s: %(value)s",
                             column="projekty", value=cell))  # fmt: skip
        else:
            end = match["end"]
            projects.append(Project(title=match["title"][:300], year_start=int(match["start"]),
                                    year_end=int(end) if end else None))  # fmt: skip
    fields["_offers"], fields["_projects"] = offers, projects
    fields["_verified"] = fold(row.get("zweryfikowana", "")) in {"tak", "yes", "true", "1"}
    if row.get("ostatnia_aktualizacja"):
        try:
            day = date.fromisoformat(row["ostatnia_aktualizacja"])
            fields["_updated_at"] = datetime.combine(day, time(12), UTC)
        except ValueError:
            reasons.append(_("Nieznana wartość w kolumnie %(column)s: %(value)s",
                             column="ostatnia_aktualizacja",
                             value=row["ostatnia_aktualizacja"]))  # fmt: skip
    slug = row.get("adres_profilu", "").rstrip("/").rsplit("/", 1)[-1]
    if slug:
        fields["_slug"] = slug[:120]
    return fields


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
    seen: dict[tuple, int] = {}
    for row in rows:
        result = RowResult(line=row["_line"], status=REJECTED, krs=row.get("krs", ""),
                           name=row.get("nazwa", ""))  # fmt: skip
        fields, reasons = parse_row(row, vocab)
        if not reasons:
            key = _identity(fields)
            if key in seen:
                # A repeated KRS used to rename the profile back and forth on every run.
                reasons = [_("Ta sama organizacja była już w wierszu %(line)d; ten wiersz "
                             "pominięto.", line=seen[key])]  # fmt: skip
            else:
                seen[key] = row["_line"]
        if reasons:
            result.reasons = reasons
        else:
            try:
                # One short transaction per row: a bad row rolls back alone, a crash keeps
                # the rows before it, and on SQLite the app's own writers are not locked out
                # for the whole import.
                with transaction():
                    result.status = _save(fields)
            except _Ambiguous:
                result.reasons = [_("W bazie jest kilka organizacji o tej nazwie bez KRS; "
                                    "podaj KRS albo adres profilu.")]  # fmt: skip
            except sa.exc.SQLAlchemyError as error:  # e.g. a constraint; the row is skipped
                result.status = REJECTED
                result.reasons = [_("Błąd zapisu: %(error)s", error=type(error).__name__)]
        results.append(result)
        if progress:
            progress()
    return results


def _identity(fields: dict) -> tuple:
    if fields.get("krs"):
        return ("krs", fields["krs"])
    if fields.get("_slug"):
        return ("slug", fields["_slug"])
    return ("name", fold(fields["name"]), tuple(sorted(fields.get("districts", []))))


def _existing(fields: dict) -> Organisation | None:
    """The profile a row updates: by KRS; without one, by the export's profile address, else
    by name (and districts, when given) among profiles without KRS. An ambiguous name is a
    refusal rather than a guess."""
    if fields.get("krs"):
        return organisation_by_krs(fields["krs"])
    if fields.get("_slug"):
        found = db.session.scalar(
            sa.select(Organisation).where(Organisation.slug == fields["_slug"])
        )
        if found is not None and found.krs is None:
            return found
    candidates = [
        o
        for o in db.session.scalars(
            sa.select(Organisation).where(
                Organisation.krs.is_(None),
                sa.func.lower(Organisation.name) == fields["name"].lower(),
            )
        )
        if "districts" not in fields or sorted(o.district_codes) == sorted(fields["districts"])
    ]
    if len(candidates) > 1:
        raise _Ambiguous
    return candidates[0] if candidates else None


class _Ambiguous(Exception):
    pass


def _create(fields: dict) -> Organisation:
    slug = fields.get("_slug")
    if not slug or db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)):
        slug = unique_slug(fields["name"])
    organisation = Organisation(slug=slug)
    db.session.add(organisation)
    apply_profile(organisation, fields)
    organisation.offers = fields.get("_offers", [])
    organisation.projects = fields.get("_projects", [])
    if fields.get("_verified"):
        organisation.verified_at = utcnow()
    if fields.get("_updated_at"):
        organisation.profile_updated_at = fields["_updated_at"]
    db.session.flush()
    return organisation


def _save(fields: dict) -> str:
    organisation = _existing(fields)
    if organisation is None:
        _create(fields)
        return CREATED
    before = _snapshot(organisation)
    last_updated = organisation.profile_updated_at
    apply_profile(organisation, fields)
    if _snapshot(organisation) == before:
        organisation.profile_updated_at = last_updated
        return UNCHANGED
    db.session.flush()
    return UPDATED
