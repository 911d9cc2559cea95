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
    missing.write_text("krs\n0000111111\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-organisations", str(missing)])
    assert result.exit_code != 0 and "nazwa" in result.output


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


# --- issue 10 item 15 ---------------------------------------------------------------------------


def test_polish_and_english_contact_headers_are_read_and_unknown_columns_reported(app):
    text = (
        "KRS;Nazwa;E-mail;Telefon;WWW;Kod pocztowy;Ulubiony kolor\n"
        "0000111111;Fundacja Kontaktowa;biuro@example.org;56 611 88 00;https://fk.example.org;"
        "87-100;zielony\n"
    )
    results, warnings = run_import(None, text)
    assert [r.status for r in results] == ["created"]
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.email == "biuro@example.org"
    assert organisation.phone == "56 611 88 00"
    assert organisation.website == "https://fk.example.org"
    assert organisation.postcode == "87-100"
    assert any("Ulubiony kolor" in w for w in warnings)

    english = "krs,name,email address,phone,website,postcode\n0000222222,Club,a@example.org,"
    english += "+48 600 100 200,https://club.example.org,87-100\n"
    results, warnings = run_import(None, english)
    assert [r.status for r in results] == ["created"] and warnings == []
    club = db.session.scalar(sa.select(Organisation).where(Organisation.krs == "0000222222"))
    assert (club.name, club.email, club.phone) == ("Club", "a@example.org", "+48 600 100 200")


def test_import_refuses_contacts_the_profile_form_refuses(app, client, make_user, auth):
    header = "krs;nazwa;email;telefon;www;kod_pocztowy\n"
    rows = (
        "0000111111;Zły e-mail;nie-mail;;;\n"
        "0000222222;Zły telefon;;dzwoń po 16;;\n"
        "0000333333;Zły adres;;;example org;\n"
        "0000444444;Zły kod;;;;87100x\n"
    )
    results, _ = run_import(None, header + rows)
    assert [r.status for r in results] == ["rejected"] * 4
    reasons = [" ".join(r.reasons) for r in results]
    assert "adres e-mail" in reasons[0]
    assert "numer telefonu" in reasons[1]
    assert "https://example.org" in reasons[2]
    assert "87-100" in reasons[3]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0

    # The web form gives the same reasons for the same values.
    from app.organisations import service
    from tests.organisations.conftest import profile_form

    owner = make_user("wlasciciel@example.org")
    organisation = service.create_organisation(owner, name="Fundacja Formularzowa")
    db.session.commit()
    auth.login(owner)
    data = profile_form(organisation, email="nie-mail", phone="dzwoń po 16",
                        website="example org", postcode="87100x")  # fmt: skip
    page = client.get(f"/organizacje/{organisation.slug}/edycja")
    assert page.status_code == 200
    response = client.post(f"/organizacje/{organisation.slug}/edycja", data=data)
    assert response.status_code == 400
    for reason in ("adres e-mail", "numer telefonu", "https://example.org", "87-100"):
        assert reason in response.text
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).email == ""


def test_krs_repeated_in_one_file_is_reported_not_used_to_rename(app):
    text = HEADER + GOOD + GOOD.replace("Fundacja Importowana", "Fundacja Przemianowana")
    for _run in range(2):
        results, _ = run_import(None, text.replace("księgowość", ""))
        assert results[1].status == "rejected"
        assert "wierszu 2" in " ".join(results[1].reasons)
    assert db.session.scalar(sa.select(Organisation.name)) == "Fundacja Importowana"


def test_organisations_without_krs_are_imported_and_matched_again(app):
    text = (
        "nazwa;forma_prawna;osiedla\n"
        "Koło Gospodyń Wiejskich Kaszczorek;stowarzyszenie zwykłe;Kaszczorek\n"
        "Stowarzyszenie Zwykłe Sąsiedzi;stowarzyszenie zwykłe;mokre\n"
    )
    first, _ = run_import(None, text)
    assert [r.status for r in first] == ["created", "created"]
    second, _ = run_import(None, text)
    assert [r.status for r in second] == ["unchanged", "unchanged"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 2
    kgw = db.session.scalar(sa.select(Organisation).where(Organisation.name.like("Koło%")))
    assert kgw.krs is None and kgw.legal_form == LegalForm.ORDINARY_ASSOCIATION


def test_open_data_export_imports_back_unchanged_into_an_empty_base(
    app, client, make_organisation_profile
):
    make_organisation_profile(
        "Fundacja Obiegowa",
        krs="0000888888",
        nip="5260250274",
        areas=["culture", "seniors"],
        competences=["księgowość"],
        districts=["mokre"],
        offers=[("space", "Sala na 30 osób"), ("expertise", "Porady prawne")],
        projects=["Projekt X"],
        verified=True,
        email="biuro@obieg.example.org",
        phone="56 611 88 00",
        website="https://obieg.example.org",
        postcode="87-100",
        street="ul. Szeroka 1",
        tags="szachy, rękodzieło",
        social_links="https://facebook.com/obieg\nhttps://instagram.com/obieg",
    )
    make_organisation_profile("Koło Gospodyń Wiejskich", legal_form="ordinary_association")
    make_organisation_profile("Koło Gospodyń Wiejskich", legal_form="ordinary_association",
                              districts=["podgorz"])  # fmt: skip
    exported = client.get("/organizacje/otwarte-dane.csv").data

    from app.organisations.models import Competence, Membership, Offer, Project

    for model in (Offer, Project, Membership, Organisation):
        db.session.execute(sa.delete(model))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Competence)) == 1

    rows, warnings = read_rows(exported)
    assert warnings == []
    results = import_rows(rows)
    assert [r.status for r in results] == ["created"] * 3, [r.reasons for r in results]
    assert client.get("/organizacje/otwarte-dane.csv").data == exported
