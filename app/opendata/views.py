"""Open data: the page, each dataset's CSV and JSON, and the DCAT-AP catalogue. Public, with
CORS open (anyone may build on the data)."""

from __future__ import annotations

import json

from flask import Response, abort

from app.opendata import catalogue
from app.opendata.blueprint import bp
from app.rendering import render


def _file(body: str, content_type: str, filename: str, dataset=None) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    catalogue.link_headers(response, dataset)
    return response


@bp.get("/")
def index():
    code, name, url = catalogue.licence()
    return render(
        "opendata/index.html",
        datasets=catalogue.DATASETS,
        licence={"id": code, "name": name, "url": url},
    )


@bp.get("/<key>.<fmt>")
def download(key: str, fmt: str):
    dataset = catalogue.DATASETS_BY_KEY.get(key)
    if dataset is None or dataset.records is None or fmt not in ("csv", "json"):
        abort(404)
    if fmt == "csv":
        body = "\ufeff" + catalogue.csv_text(dataset)
        return _file(body, "text/csv; charset=utf-8; header=present", f"{key}.csv", dataset)
    return _file(catalogue.json_text(dataset), "application/json", f"{key}.json")


@bp.get("/<key>.csv-metadata.json")
def csv_metadata(key: str):
    """The CSVW description of a dataset's CSV (licence, publisher, columns)."""
    dataset = catalogue.DATASETS_BY_KEY.get(key)
    if dataset is None:
        abort(404)
    body = json.dumps(catalogue.csvw_metadata(dataset), ensure_ascii=False, indent=1)
    return _file(body, "application/csvm+json", f"{key}.csv-metadata.json")


@bp.get("/katalog.jsonld", endpoint="catalogue")
def catalogue_view():
    body = json.dumps(catalogue.dcat_catalogue(), ensure_ascii=False, indent=1)
    return _file(body, "application/ld+json", "katalog.jsonld")
