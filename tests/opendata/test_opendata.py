"""Open data: every CSV, JSON and JSON-LD file parses, carries its licence and metadata, is
formula-safe and holds no personal data."""

from __future__ import annotations

import csv
import io
import json

import pytest

KEYS = ["oferty-wolontariatu", "przestrzenie", "rezerwacje-miesiecznie", "godziny-wolontariatu"]


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))


def test_page_lists_every_dataset_with_licence_and_is_in_the_footer(client, known_data):
    page = client.get("/otwarte-dane/")
    assert page.status_code == 200
    for key in KEYS:
        assert f'href="http://localhost/otwarte-dane/{key}.csv"' in page.text
        assert f'href="http://localhost/otwarte-dane/{key}.json"' in page.text
    assert 'href="http://localhost/organizacje/otwarte-dane.csv"' in page.text
    assert "CC0 1.0" in page.text and "/otwarte-dane/katalog.jsonld" in page.text
    assert 'href="/otwarte-dane/"' in client.get("/").text  # footer


@pytest.mark.parametrize("key", KEYS)
def test_csv_and_json_parse_and_carry_metadata(client, known_data, key):
    rows = read_csv(client.get(f"/otwarte-dane/{key}.csv"))
    data = json.loads(client.get(f"/otwarte-dane/{key}.json").text)
    assert len(rows) == data["count"] == len(data["records"]) > 0
    meta = data["metadata"]
    assert meta["licence"]["id"] == "CC0-1.0"
    assert meta["publisher"] == "Gmina Miasta Toruń" and meta["update_frequency"] == "daily"
    assert meta["generated_at"] and meta["fields"]
    assert list(rows[0]) == [f["name"] for f in meta["fields"]]
    response = client.get(f"/otwarte-dane/{key}.csv")
    assert "creativecommons.org/publicdomain/zero" in response.headers["Link"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_figures_formula_safety_and_no_personal_data(client, known_data):
    everything = ""
    for key in KEYS:
        everything += client.get(f"/otwarte-dane/{key}.csv").text
        everything += client.get(f"/otwarte-dane/{key}.json").text
    for personal in ("@example.org", "Ula", "Igor", "gosc", "Mama", "Ewa"):
        assert personal not in everything
    opportunities = read_csv(client.get("/otwarte-dane/oferty-wolontariatu.csv"))
    assert {r["title"] for r in opportunities} == {"Spacery z seniorami", "'=cmd|' /C calc'!A0"}
    spaces = {r["name"]: r for r in read_csv(client.get("/otwarte-dane/przestrzenie.csv"))}
    room = spaces["Sala 1"]
    assert room["barter_terms"].startswith("'=")
    assert (room["district"], room["capacity"], room["terms"]) == ("rubinkowo", "30", "barter")
    assert room["opening_hours"] == "pn 16:00-20:00"
    months = read_csv(client.get("/otwarte-dane/rezerwacje-miesiecznie.csv"))
    march = {(r["month"], r["space"]): r for r in months}
    assert march[("2025-03", "Sala 1")]["bookings"] == "3"
    assert march[("2025-03", "Sala 1")]["hours"] == "7.0"
    assert march[("2025-04", "Sala 1")]["bookings"] == "1"
    hours = read_csv(client.get("/otwarte-dane/godziny-wolontariatu.csv"))
    assert [
        (r["month"], r["sphere"], r["district"], r["hours"], r["volunteers"]) for r in hours
    ] == [
        ("2025-03", "culture", "online", "1.5", ""),  # fewer than three: no count
        ("2025-03", "social_assistance", "rubinkowo", "5.0", ""),
    ]


def test_dcat_catalogue(client, known_data):
    response = client.get("/otwarte-dane/katalog.jsonld")
    assert response.headers["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.text)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    datasets = catalogue["dcat:dataset"]
    assert {d["dct:identifier"] for d in datasets} == {"organizacje", *KEYS}
    assert catalogue["@context"]["vcard"] == "http://www.w3.org/2006/vcard/ns#"
    themes = "http://publications.europa.eu/resource/authority/data-theme"
    assert catalogue["dcat:themeTaxonomy"]["@id"] == themes
    for dataset in datasets:
        assert dataset["dct:publisher"]["foaf:name"] == "Gmina Miasta Toruń"
        assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/DAILY")
        # DCAT-AP(-PL) recommended: a contact point and a theme from the EU vocabulary.
        contact = dataset["dcat:contactPoint"]
        assert contact["@type"] == "vcard:Organization" and "vcard:hasEmail" not in contact
        assert contact["vcard:hasURL"]["@id"] == "http://localhost/otwarte-dane/"
        assert dataset["dcat:theme"] and all(
            t["@id"].startswith(f"{themes}/") for t in dataset["dcat:theme"]
        )
        assert dataset["dct:spatial"]["@type"] == "dct:Location"
        formats = {d["dcat:mediaType"] for d in dataset["dcat:distribution"]}
        assert formats == {"text/csv", "application/json"}
        for distribution in dataset["dcat:distribution"]:
            path = distribution["dcat:downloadURL"]["@id"].removeprefix("http://localhost")
            assert client.get(path).status_code == 200
    organisations = json.loads(client.get("/organizacje/otwarte-dane.json").text)
    assert organisations["metadata"]["licence"]["id"] == "CC0-1.0"


def test_unknown_dataset_is_404(client):
    for path in (
        "/otwarte-dane/nic.csv",
        "/otwarte-dane/przestrzenie.xml",
        "/otwarte-dane/organizacje.csv",
    ):
        assert client.get(path).status_code == 404


@pytest.fixture
def app_config():
    return {}


class TestCCBY:
    @pytest.fixture
    def app_config(self):
        return {"OPEN_DATA_LICENCE": "CC-BY-4.0", "OPEN_DATA_CONTACT_EMAIL": "dane@um.torun.pl"}

    def test_licence_is_configurable(self, client):
        data = json.loads(client.get("/otwarte-dane/przestrzenie.json").text)
        assert data["metadata"]["licence"] == {
            "id": "CC-BY-4.0",
            "name": "CC BY 4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        }
        catalogue = json.loads(client.get("/otwarte-dane/katalog.jsonld").text)
        assert catalogue["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert "CC BY 4.0" in client.get("/otwarte-dane/").text
        for dataset in catalogue["dcat:dataset"]:
            assert dataset["dct:license"]["@id"].endswith("/by/4.0/")
            assert (
                dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:dane@um.torun.pl"
            )


def test_the_organisations_fields_describe_every_column_of_their_csv(client, known_data):
    from app.opendata.catalogue import DATASETS_BY_KEY
    from app.organisations.opendata import CSV_COLUMNS

    assert [name for name, _ in DATASETS_BY_KEY["organizacje"].fields] == list(CSV_COLUMNS)
    header = client.get("/organizacje/otwarte-dane.csv").text.lstrip("\ufeff").splitlines()[0]
    assert header.split(";") == list(CSV_COLUMNS)


def link_target(header: str, rel: str) -> str:
    for part in header.split(","):
        if f'rel="{rel}"' in part:
            return part.split(">")[0].strip().lstrip("<")
    raise AssertionError(f"no {rel} in {header}")


@pytest.mark.parametrize("key", [*KEYS, "organizacje"])
def test_every_csv_is_described_by_csvw_metadata(client, known_data, key):
    """The CSV stays a header row and data; its licence, publisher, generated-at and columns
    are in the CSVW file its Link header names (also at the CSVW default location)."""
    from app.opendata.catalogue import DATASETS_BY_KEY

    url = DATASETS_BY_KEY[key].url("csv")
    response = client.get(url)
    described_by = link_target(response.headers["Link"], "describedby")
    assert described_by == url + "-metadata.json" or key == "organizacje"
    meta_response = client.get(described_by)
    assert meta_response.headers["Content-Type"].startswith("application/csvm+json")
    meta = json.loads(meta_response.text)
    assert meta["url"] == url and meta["dc:publisher"] == "Gmina Miasta Toruń"
    assert meta["dc:license"]["@id"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert meta["dc:modified"]["@value"] and meta["dialect"]["delimiter"] == ";"
    header = response.text.lstrip("\ufeff").splitlines()[0].split(";")
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == header
    assert all(c["dc:description"] for c in meta["tableSchema"]["columns"])
    catalogue = json.loads(client.get("/otwarte-dane/katalog.jsonld").text)
    dataset = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == key)
    csv_distribution = next(d for d in dataset["dcat:distribution"] if d["@id"] == url)
    assert csv_distribution["dct:conformsTo"]["@id"] == described_by


def test_coordinates_of_spaces(client, known_data, auth):
    from decimal import Decimal

    from app.extensions import db
    from app.spaces.models import Space

    room = db.session.scalar(db.select(Space).where(Space.slug == "sp99-sala"))
    room.latitude, room.longitude = Decimal("53.010300"), Decimal("18.604800")
    db.session.commit()
    rows = {r["name"]: r for r in read_csv(client.get("/otwarte-dane/przestrzenie.csv"))}
    assert (rows["Sala 1"]["latitude"], rows["Sala 1"]["longitude"]) == ("53.0103", "18.6048")
    assert rows["Rzutnik"]["latitude"] == ""
    records = json.loads(client.get("/otwarte-dane/przestrzenie.json").text)["records"]
    assert {r["name"]: r["latitude"] for r in records}["Sala 1"] == 53.0103
    catalogue = json.loads(client.get("/otwarte-dane/katalog.jsonld").text)
    spaces = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "przestrzenie")
    assert "18.6048 53.0103" in spaces["dct:spatial"]["dcat:bbox"]["@value"]
