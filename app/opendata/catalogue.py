"""What the datasets are: titles, descriptions, field descriptions, licence, publisher, update
frequency; and the files made from them (CSV, JSON) and the DCAT-AP catalogue (JSON-LD)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.inputs import csv_cell
from app.opendata import records

LICENCES = {
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/DAILY"
FILE_TYPES = {
    "csv": ("http://publications.europa.eu/resource/authority/file-type/CSV", "text/csv"),
    "json": ("http://publications.europa.eu/resource/authority/file-type/JSON", "application/json"),
}


@dataclass(frozen=True)
class Dataset:
    key: str
    title: object  # lazy strings: the page is translated, the files are Polish
    description: object
    fields: tuple[tuple[str, str], ...]  # (name, description in Polish)
    records: Callable[[], list[dict]] | None  # None: the organisations' own export
    keywords: tuple[str, ...] = ()

    def url(self, fmt: str) -> str:
        if self.records is None:
            endpoint = "organisations.export_csv" if fmt == "csv" else "organisations.export_json"
            return url_for(endpoint, _external=True)
        return url_for("opendata.download", key=self.key, fmt=fmt, _external=True)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "organizacje",
        _l("Organizacje pozarządowe w Toruniu"),
        _l("Publiczne profile organizacji: dane rejestrowe, adres, sfery działania, kompetencje, oferty, projekty."),
        (("krs", "numer w KRS"), ("nazwa", "nazwa organizacji"),
         ("forma_prawna", "forma prawna: foundation, association, ordinary_association, sports_club, church_entity, social_cooperative, other"),
         ("nip", "NIP"), ("regon", "REGON"), ("krotki_opis", "krótki opis"), ("opis", "opis"),
         ("ulica", "ulica i numer"), ("kod_pocztowy", "kod pocztowy"), ("miejscowosc", "miejscowość"),
         ("email", "adres e-mail organizacji"), ("telefon", "telefon organizacji"), ("www", "strona internetowa"),
         ("media_spolecznosciowe", "profile w mediach społecznościowych, oddzielone spacją"),
         ("sfery", "sfery zadań publicznych (art. 4 ustawy), kody oddzielone |"),
         ("kompetencje", "kompetencje z listy Urzędu, oddzielone |"), ("tagi", "własne tagi, oddzielone przecinkiem"),
         ("osiedla", "osiedla działania, kody oddzielone |"), ("oferty", "propozycje dla innych organizacji: rodzaj: tytuł, oddzielone |"),
         ("projekty", "projekty: tytuł (lata), oddzielone |"), ("zweryfikowana", "tak, gdy Urząd zweryfikował organizację"),
         ("ostatnia_aktualizacja", "data ostatniej zmiany profilu"), ("adres_profilu", "adres profilu w serwisie")),
        None,
        ("organizacje pozarządowe", "NGO", "Toruń"),
    ),
    Dataset(
        "oferty-wolontariatu",
        _l("Oferty wolontariatu"),
        _l("Opublikowane oferty wolontariatu organizacji: sfera, osiedle, rodzaj, liczba nadchodzących terminów. Bez danych osób kontaktowych."),
        (("id", "identyfikator oferty"), ("title", "tytuł"), ("organisation", "organizacja"),
         ("organisation_krs", "KRS organizacji"), ("sphere", "sfera (kod)"), ("sphere_label", "sfera (nazwa)"),
         ("kind", "rodzaj: one_off, regular, flexible, micro"), ("district", "osiedle (kod)"),
         ("district_name", "osiedle (nazwa)"), ("address", "adres"), ("online", "czy zdalnie"),
         ("min_age", "minimalny wiek"), ("skills", "potrzebne umiejętności"), ("languages", "języki"),
         ("tags", "znaczniki"), ("valid_until", "ważna do"), ("published", "data publikacji"),
         ("upcoming_shifts", "liczba nadchodzących terminów"), ("url", "adres oferty")),
        records.opportunities,
        ("wolontariat", "Toruń"),
    ),
    Dataset(
        "przestrzenie",
        _l("Przestrzenie i sprzęt do udostępnienia"),
        _l("Sale i sprzęt szkół, Centrum Aktywności Lokalnej, jednostek miejskich i organizacji: adres, osiedle, pojemność, dostępność, wyposażenie, warunki, godziny otwarcia."),
        (("id", "identyfikator"), ("name", "nazwa"), ("provider", "udostępniający"), ("kind", "room (sala) lub equipment (sprzęt)"),
         ("address", "adres"), ("district", "osiedle (kod)"), ("district_name", "osiedle (nazwa)"),
         ("latitude", "szerokość geograficzna (jeśli znana)"), ("longitude", "długość geograficzna (jeśli znana)"),
         ("capacity", "liczba osób"), ("area_m2", "powierzchnia w m²"), ("floor", "piętro"), ("stock", "liczba sztuk (sprzęt)"),
         ("accessibility", "udogodnienia dostępności (kody)"), ("equipment", "wyposażenie (kody)"),
         ("terms", "warunki: free, fee, barter"), ("fee_per_hour", "opłata za godzinę, zł"),
         ("fee_per_hour_ngo", "opłata dla organizacji za godzinę, zł"), ("barter_hours_per_hour", "godziny barteru za godzinę"),
         ("barter_terms", "warunki barteru"), ("opening_hours", "godziny otwarcia"), ("url", "adres strony")),
        records.spaces,
        ("przestrzenie", "sale", "Toruń"),
    ),
    Dataset(
        "rezerwacje-miesiecznie",
        _l("Rezerwacje przestrzeni według miesięcy"),
        _l("Zatwierdzone terminy w każdej przestrzeni w miesiącu: liczba, godziny, liczba organizacji."),
        (("month", "miesiąc (RRRR-MM, czas warszawski)"), ("space_id", "identyfikator przestrzeni"),
         ("space", "przestrzeń"), ("provider", "udostępniający"), ("district", "osiedle (kod)"),
         ("bookings", "liczba zatwierdzonych terminów"), ("hours", "godziny"), ("organisations", "liczba organizacji")),
        records.booking_months,
        ("przestrzenie", "rezerwacje", "Toruń"),
    ),
    Dataset(
        "godziny-wolontariatu",
        _l("Godziny wolontariatu według sfer i osiedli"),
        _l("Potwierdzone przez organizacje godziny wolontariatu w miesiącu, według sfery i osiedla oferty. Liczba wolontariuszy tylko w grupach od 3 osób."),
        (("month", "miesiąc (RRRR-MM)"), ("sphere", "sfera (kod)"), ("sphere_label", "sfera (nazwa)"),
         ("district", "osiedle (kod) lub online"), ("hours", "potwierdzone godziny"),
         ("volunteers", "liczba wolontariuszy (puste, gdy mniej niż 3)")),
        records.volunteer_hours,
        ("wolontariat", "Toruń"),
    ),
)  # fmt: skip

DATASETS_BY_KEY = {d.key: d for d in DATASETS}

# DCAT-AP(-PL) themes of each dataset, from the EU data-theme vocabulary (SOCI: population and
# society, GOVE: government and public sector, REGI: regions and cities).
THEME_VOCABULARY = "http://publications.europa.eu/resource/authority/data-theme"
THEMES = {
    "organizacje": ("SOCI", "GOVE"),
    "oferty-wolontariatu": ("SOCI",),
    "przestrzenie": ("REGI", "SOCI"),
    "rezerwacje-miesiecznie": ("REGI",),
    "godziny-wolontariatu": ("SOCI",),
}


def licence() -> tuple[str, str, str]:
    """(identifier, name, URL) of the configured licence; an unknown one falls back to CC0."""
    code = current_app.config.get("OPEN_DATA_LICENCE", "CC0-1.0")
    if code not in LICENCES:
        code = "CC0-1.0"
    return (code, *LICENCES[code])


def metadata(dataset: Dataset, generated_at: datetime | None = None) -> dict:
    code, name, url = licence()
    return {
        "title": str(dataset.title),
        "description": str(dataset.description),
        "publisher": current_app.config.get("OPEN_DATA_PUBLISHER", "Gmina Miasta Toruń"),
        "licence": {"id": code, "name": name, "url": url},
        "update_frequency": "daily",
        "generated_at": (generated_at or utcnow()).isoformat(timespec="seconds"),
        "fields": [{"name": n, "description": d} for n, d in dataset.fields],
        "catalogue": url_for("opendata.catalogue", _external=True),
    }


def _cell(value) -> object:
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return "" if value is None else value


def csv_text(dataset: Dataset) -> str:
    """A header row, then the records; formula-safe cells; lists joined with "|"."""
    names = [n for n, _ in dataset.fields]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(names)
    for record in dataset.records():
        writer.writerow([csv_cell(_cell(record.get(n))) for n in names])
    return out.getvalue()


def json_text(dataset: Dataset) -> str:
    rows = dataset.records()
    body = {"metadata": metadata(dataset), "count": len(rows), "records": rows}
    return json.dumps(body, ensure_ascii=False, indent=1)


def link_headers(response, dataset: Dataset | None = None) -> None:
    """``Link``: the licence, and for a CSV its CSVW metadata (``describedby``)."""
    _code, _name, url = licence()
    links = [f'<{url}>; rel="license"']
    if dataset is not None:
        links.append(f'<{csvw_url(dataset)}>; rel="describedby"; type="application/csvm+json"')
    response.headers["Link"] = ", ".join(links)


def csvw_url(dataset: Dataset) -> str:
    """The CSVW metadata of the dataset's CSV: where a CSV on the Web processor looks first
    (``{csv url}-metadata.json``, W3C "Locating metadata"), also named in the CSV's ``Link``."""
    return url_for("opendata.csv_metadata", key=dataset.key, _external=True)


def csvw_metadata(dataset: Dataset, generated_at: datetime | None = None) -> dict:
    """The CSV's metadata as W3C CSVW (JSON-LD): licence, publisher, generated-at, update
    frequency and each column's description. The CSV itself stays a plain header row and
    data (what dane.gov.pl and any CSV parser read); this file describes it."""
    meta = metadata(dataset, generated_at)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "pl"}],
        "url": dataset.url("csv"),
        "dc:title": meta["title"],
        "dc:description": meta["description"],
        "dc:publisher": meta["publisher"],
        "dc:license": {"@id": meta["licence"]["url"]},
        "dc:modified": {"@value": meta["generated_at"], "@type": "xsd:dateTime"},
        "dc:accrualPeriodicity": {"@id": FREQUENCY},
        "dcat:landingPage": {"@id": url_for("opendata.index", _external=True)},
        "dialect": {"delimiter": ";", "encoding": "utf-8", "header": True, "headerRowCount": 1},
        "tableSchema": {
            "columns": [
                {"name": name, "titles": name, "dc:description": description}
                for name, description in dataset.fields
            ]
        },
    }


def _spatial(dataset: Dataset) -> dict:
    """Toruń; for the spaces, also the bounding box of the spaces' known coordinates."""
    spatial: dict = {"@id": "http://sws.geonames.org/3083271/", "@type": "dct:Location"}
    if dataset.key != "przestrzenie":
        return spatial
    points = [(r["longitude"], r["latitude"]) for r in dataset.records() if r["latitude"]]
    if points:
        (west, east), (south, north) = (
            (min(p[0] for p in points), max(p[0] for p in points)),
            (min(p[1] for p in points), max(p[1] for p in points)),
        )
        ring = f"{west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}"
        spatial["dcat:bbox"] = {"@value": f"POLYGON(({ring}))", "@type": "gsp:wktLiteral"}
    return spatial


def dcat_catalogue() -> dict:
    """The DCAT-AP (DCAT-AP-PL) catalogue of every dataset, as JSON-LD."""
    code, name, licence_url = licence()
    publisher = {
        "@type": "foaf:Agent",
        "foaf:name": current_app.config.get("OPEN_DATA_PUBLISHER", "Gmina Miasta Toruń"),
    }
    now = utcnow().isoformat(timespec="seconds")
    contact: dict = {
        "@type": "vcard:Organization",
        "vcard:fn": publisher["foaf:name"],
        "vcard:hasURL": {"@id": url_for("opendata.index", _external=True)},
    }
    if email := current_app.config.get("OPEN_DATA_CONTACT_EMAIL"):
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    datasets = []
    for dataset in DATASETS:
        distributions = []
        for fmt, (file_type, media_type) in FILE_TYPES.items():
            distributions.append(
                {
                    "@id": dataset.url(fmt),
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.title} ({fmt.upper()})",
                    "dcat:accessURL": {"@id": dataset.url(fmt)},
                    "dcat:downloadURL": {"@id": dataset.url(fmt)},
                    "dct:format": {"@id": file_type},
                    "dcat:mediaType": media_type,
                    "dct:license": {"@id": licence_url},
                    "dct:modified": {"@value": now, "@type": "xsd:dateTime"},
                    # The CSV's column descriptions and licence (CSVW); the JSON carries its own.
                    **({"dct:conformsTo": {"@id": csvw_url(dataset)}} if fmt == "csv" else {}),
                }
            )
        page = url_for("opendata.index", _external=True) + f"#{dataset.key}"
        datasets.append(
            {
                "@id": page,
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": {"@value": str(dataset.title), "@language": "pl"},
                "dct:description": {"@value": str(dataset.description), "@language": "pl"},
                "dcat:keyword": [{"@value": k, "@language": "pl"} for k in dataset.keywords],
                "dct:publisher": publisher,
                "dcat:contactPoint": contact,
                "dcat:theme": [
                    {"@id": f"{THEME_VOCABULARY}/{theme}"} for theme in THEMES[dataset.key]
                ],
                "dct:accrualPeriodicity": {"@id": FREQUENCY},
                "dct:language": {
                    "@id": "http://publications.europa.eu/resource/authority/language/POL"
                },
                "dct:spatial": _spatial(dataset),
                "dct:license": {"@id": licence_url},
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "gsp": "http://www.opengis.net/ont/geosparql#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": url_for("opendata.catalogue", _external=True),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "Wspólnie – otwarte dane", "@language": "pl"},
        "dct:description": {
            "@value": "Dane serwisu współpracy Gminy Miasta Toruń z organizacjami pozarządowymi.",
            "@language": "pl",
        },
        "dct:publisher": publisher,
        "dct:license": {"@id": licence_url, "dct:title": name, "dct:identifier": code},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/POL"},
        "dct:modified": {"@value": now, "@type": "xsd:dateTime"},
        "foaf:homepage": {"@id": url_for("opendata.index", _external=True)},
        "dcat:themeTaxonomy": {"@id": THEME_VOCABULARY},
        "dcat:dataset": datasets,
    }
