"""CSV import (idempotent by KRS, bad rows reported and skipped) and the open-data export."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from app.extensions import db
from app.organisations.importer import import_rows, read_rows
from app.organisations.models import LegalForm, Organisation
from app.search.service import search

HEADER = "krs;nazwa;forma_prawna;nip;regon;krótki opis;sfery;kompetencje;osiedla;tagi;www\n"
GOOD = (
    "0000111111;Fundacja Importowana;fundacja;526-025-02-74;123456785;Pomagamy seniorom.;"
    "seniors|10;księgowość;Rubinkowo|mokre;szachy;https://example.org\n"
)
BAD_ROWS = (
    "12345;Zły KRS;fundacja;;;;;;;;\n"
    "0000222222;;stowarzyszenie;;;;;;;;\n"
    "0000333333;Zły NIP;stowarzyszenie;5260250275;;;;;;;\n"
    "0000444444;Nieznane wartości;spółka z o.o.;;;;kosmos;astrologia;Gdańsk;;\n"
)


def run_import(client, text: str, encoding: str = "utf-8"):
    rows, warnings = read_rows(text.encode(encoding))
    return import_rows(rows), warnings


def test_good_rows_are_kept_and_bad_rows_reported(app, make_competence):
    make_competence("księgowość")
    results, warnings = run_import(None, "\ufeff" + HEADER + GOOD + BAD_ROWS)
    assert warnings == []
    assert [r.status for r in results] == ["created"] + ["rejected"] * 4
    assert [r.line for r in results] == [2, 3, 4, 5, 6]
    reasons = [" ".join(r.reasons) for r in results[1:]]
    assert "10 cyfr" in reasons[0]
    assert "Brak nazwy" in reasons[1]
    assert "cyfrę kontrolną" in reasons[2]
    assert "forma prawna" in reasons[3] and "kosmos" in reasons[3] and "astrologia" in reasons[3]
    assert "Gdańsk" in reasons[3]
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.name == "Fundacja Importowana"
    assert organisation.legal_form == LegalForm.FOUNDATION
    assert organisation.nip == "5260250274"
    assert organisation.area_codes == ["seniors"]
    assert organisation.district_codes == ["mokre", "rubinkowo"]
    assert [c.name for c in organisation.competences] == ["księgowość"]
    assert search("ksiegowosc", ["organisation"])[0] == {"organisation": 1}


def test_import_is_idempotent_by_krs(app):
    row = GOOD.replace("księgowość", "")
    first, _ = run_import(None, HEADER + row)
    second, _ = run_import(None, HEADER + row)
    assert [r.status for r in first] == ["created"]
    assert [r.status for r in second] == ["unchanged"]
    changed, _ = run_import(None, HEADER + row.replace("Pomagamy seniorom.", "Nowy opis."))
    assert [r.status for r in changed] == ["updated"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    assert db.session.scalar(sa.select(Organisation.short_description)) == "Nowy opis."


def test_comma_separated_and_windows_1250_files(app):
    text = "KRS,Nazwa,Miejscowość\n0000555555,Stowarzyszenie Żółwie,Toruń\n"
    results, warnings = run_import(None, text, encoding="cp1250")
    assert [r.status for r in results] == ["created"]
    assert "Windows-1250" in warnings[0]
    assert db.session.scalar(sa.select(Organisation.name)) == "Stowarzyszenie Żółwie"


def test_command_reports_each_row_with_progress(app, make_competence, tmp_path):
    make_competence("księgowość")
    path = tmp_path / "organizacje.csv"
    path.write_text(HEADER + GOOD + BAD_ROWS, encoding="utf-8-sig")
    result = app.test_cli_runner().invoke(args=["import-organisations", str(path)])
    assert result.exit_code == 1  # some rows were rejected
    assert "wiersz 2: created 0000111111 Fundacja Importowana" in result.output
    assert "wiersz 4: rejected" in result.output
    assert "Razem: created 1, updated 0, unchanged 0, rejected 4" in result.output
    missing = tmp_path / "pusty.csv"
    missing.write_text("nazwa\nCoś\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-organisations", str(missing)])
    assert result.exit_code != 0 and "krs" in result.output


def test_open_data_exports_public_fields_only(client, make_user, make_organisation_profile):
    make_organisation_profile(
        "Fundacja Eksportowa",
        owner=make_user("prywatny@example.org"),
        krs="0000777777",
        areas=["seniors"],
        competences=["księgowość"],
        districts=["podgorz"],
        offers=[("space", "Sala")],
        projects=["Projekt X"],
        verified=True,
    )
    response = client.get("/organizacje/otwarte-dane.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.text)
    assert data["count"] == 1
    record = data["organisations"][0]
    assert record["krs"] == "0000777777" and record["verified"] is True
    assert record["areas"][0]["code"] == "seniors"
    assert record["districts"] == [{"code": "podgorz", "name": "Podgórz"}]
    assert record["offers"][0]["title"] == "Sala"
    assert record["projects"][0]["title"] == "Projekt X"
    assert "prywatny@example.org" not in response.text
    assert "members" not in record and "stale_notified_at" not in response.text

    exported = client.get("/organizacje/otwarte-dane.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert exported.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0]["nazwa"] == "Fundacja Eksportowa" and rows[0]["osiedla"] == "podgorz"
    assert "prywatny@example.org" not in exported.text


def test_export_can_be_imported_again(client, app, make_organisation_profile):
    make_organisation_profile(
        "Fundacja Obiegowa", krs="0000888888", areas=["culture"], districts=["mokre"]
    )
    exported = client.get("/organizacje/otwarte-dane.csv").data
    rows, _ = read_rows(exported)
    assert [r.status for r in import_rows(rows)] == ["unchanged"]
