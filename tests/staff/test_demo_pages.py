"""The staff console on the demo data: every queue and every report section has something real."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db


def staff_user():
    return db.session.scalar(sa.select(User).where(User.email == "urzad@demo.wspolnie.pl"))


def test_demo_staff_home_report_and_open_data(demo_client, demo_auth):
    demo_auth.login(staff_user())
    home = demo_client.get("/urzad/")
    assert home.status_code == 200
    for queue in (
        "queue-reports",
        "queue-verification",
        "queue-claims",
        "queue-joins",
        "queue-stale",
        "queue-bookings",
        "queue-providers",
        "queue-hidings",
    ):
        section = home.text.split(f'id="{queue}"')[1].split("</section>")[0]
        assert "Nic nie czeka." not in section, queue
    report = demo_client.get("/urzad/sprawozdanie")
    assert report.status_code == 200
    # Every table of the report has rows and a chart (the demo has a past to show).
    assert "Brak danych w tym okresie." not in report.text
    assert report.text.count('<svg class="bar-chart"') == report.text.count("<caption>") == 12
    for section in ("sector", "spaces", "volunteering"):
        response = demo_client.get(f"/urzad/sprawozdanie/{section}.csv")
        assert response.status_code == 200
        assert list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    page = demo_client.get("/otwarte-dane/")
    assert page.status_code == 200
    for key in (
        "oferty-wolontariatu",
        "przestrzenie",
        "rezerwacje-miesiecznie",
        "godziny-wolontariatu",
    ):
        rows = list(
            csv.DictReader(
                io.StringIO(demo_client.get(f"/otwarte-dane/{key}.csv").text.lstrip("\ufeff")),
                delimiter=";",
            )
        )
        assert rows, key
        data = json.loads(demo_client.get(f"/otwarte-dane/{key}.json").text)
        assert data["records"], key
    assert json.loads(demo_client.get("/otwarte-dane/katalog.jsonld").text)["dcat:dataset"]
