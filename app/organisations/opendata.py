"""Open data: the organisation base as CSV and JSON at stable URLs, public fields only
(no members, no e-mails of people, no internal dates)."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.inputs import csv_cell
from app.organisations.models import Organisation

CSV_COLUMNS = (
    "krs", "nazwa", "forma_prawna", "nip", "regon", "krotki_opis", "opis", "ulica",
    "kod_pocztowy", "miejscowosc", "email", "telefon", "www", "media_spolecznosciowe", "sfery",
    "kompetencje", "tagi", "osiedla", "oferty", "projekty", "zweryfikowana",
    "ostatnia_aktualizacja", "adres_profilu",
)  # fmt: skip


def _organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .options(
                selectinload(Organisation.areas),
                selectinload(Organisation.districts),
                selectinload(Organisation.competences),
                selectinload(Organisation.projects),
                selectinload(Organisation.offers),
            )
            .where(Organisation.hidden_at.is_(None))
            .order_by(Organisation.name, Organisation.id)
        )
    )


def public_record(organisation: Organisation) -> dict:
    with force_locale("pl"):
        return {
            "krs": organisation.krs,
            "name": organisation.name,
            "legal_form": organisation.legal_form.value,
            "legal_form_label": organisation.legal_form_label,
            "nip": organisation.nip,
            "regon": organisation.regon,
            "short_description": organisation.short_description,
            "description": organisation.description,
            "address": {
                "street": organisation.street,
                "postcode": organisation.postcode,
                "city": organisation.city,
            },
            "email": organisation.email,
            "phone": organisation.phone,
            "website": organisation.website,
            "social_links": organisation.social_link_list,
            "areas": [
                {"code": code, "label": label}
                for code, label in zip(
                    organisation.area_codes, organisation.area_labels, strict=True
                )
            ],
            "competences": [c.name for c in organisation.competences],
            "tags": organisation.tag_list,
            "districts": [
                {"code": code, "name": name}
                for code, name in zip(
                    organisation.district_codes, organisation.district_names, strict=True
                )
            ],
            "offers": [
                {"kind": o.kind.value, "title": o.title, "description": o.description}
                for o in organisation.offers
            ],
            "projects": [
                {
                    "title": p.title,
                    "year_start": p.year_start,
                    "year_end": p.year_end,
                    "funder": p.funder,
                    "link": p.link,
                    "description": p.description,
                }
                for p in organisation.projects
            ],
            "verified": organisation.is_verified,
            "last_updated": organisation.profile_updated_at.date().isoformat(),
            "url": url_for("organisations.profile", slug=organisation.slug, _external=True),
        }


def _offers_cell(record: dict) -> str:
    # "kind: title", so that the import (app/organisations/importer.py) can read it back.
    return "|".join(f"{o['kind']}: {o['title']}" for o in record["offers"])


def _projects_cell(record: dict) -> str:
    def years(p):
        return f"{p['year_start']}–{p['year_end']}" if p["year_end"] else f"{p['year_start']}"

    return "|".join(f"{p['title']} ({years(p)})" for p in record["projects"])


def _csv_row(record: dict) -> list:
    return [
        record["krs"] or "",
        record["name"],
        record["legal_form"],
        record["nip"] or "",
        record["regon"] or "",
        record["short_description"],
        record["description"],
        record["address"]["street"],
        record["address"]["postcode"],
        record["address"]["city"],
        record["email"],
        record["phone"],
        record["website"],
        " ".join(record["social_links"]),
        "|".join(a["code"] for a in record["areas"]),
        "|".join(record["competences"]),
        ", ".join(record["tags"]),
        "|".join(d["code"] for d in record["districts"]),
        _offers_cell(record),
        _projects_cell(record),
        "tak" if record["verified"] else "nie",
        record["last_updated"],
        record["url"],
    ]


def _headers(response: Response, filename: str) -> Response:
    from app.opendata.catalogue import DATASETS_BY_KEY, link_headers

    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    csv = filename.endswith(".csv")
    link_headers(response, DATASETS_BY_KEY["organizacje"] if csv else None)
    return response


def csv_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for organisation in _organisations():
        writer.writerow([csv_cell(cell) for cell in _csv_row(public_record(organisation))])
    return out.getvalue()


def csv_response() -> Response:
    # With a BOM so spreadsheets open it as UTF-8; the same columns the import reads.
    body = "\ufeff" + csv_text()
    return _headers(
        Response(body, mimetype="text/csv", content_type="text/csv; charset=utf-8"),
        "organizacje-torun.csv",
    )


def json_response() -> Response:
    from app.opendata.catalogue import DATASETS_BY_KEY, metadata  # the licence, the publisher

    records = [public_record(o) for o in _organisations()]
    body = json.dumps(
        {
            "metadata": metadata(DATASETS_BY_KEY["organizacje"]),
            "count": len(records),
            "organisations": records,
        },
        ensure_ascii=False,
        indent=1,
    )
    return _headers(Response(body, mimetype="application/json"), "organizacje-torun.json")
