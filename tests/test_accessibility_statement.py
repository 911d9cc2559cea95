"""The accessibility statement (/dostepnosc) has what Polish law and the monitoring tools expect."""

from __future__ import annotations

import re

import pytest

# Ids from the Ministry's technical conditions for publishing accessibility statements.
REQUIRED_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-data-przeglad",
    "a11y-audytor",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_statement_has_every_required_part(client, language):
    client.post("/jezyk", data={"lang": language})
    page = client.get("/dostepnosc").text
    for element_id in REQUIRED_IDS:
        assert page.count(f'id="{element_id}"') == 1, element_id
    for element_id in ("a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"):
        assert re.search(rf'id="{element_id}" datetime="\d{{4}}-\d{{2}}-\d{{2}}"', page), element_id
    assert "4 kwietnia 2019" in page or "4 April 2019" in page or "4 квітня 2019" in page
    assert "mailto:" in page and 'href="tel:' in page


def test_statement_is_linked_from_every_page_and_announced_in_a_meta_tag(client):
    for path in ("/", "/konto/logowanie", "/nie-ma-takiej-strony"):
        page = client.get(path).text
        assert 'href="/dostepnosc"' in page
        assert re.search(
            r'<meta name="deklaracja-dostępności" content="http://[^"]+/dostepnosc">', page
        )


def test_contact_data_comes_from_the_configuration(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = {"email": "a11y@torun.example", "phone": "+48 1 2 3"}
    page = client.get("/dostepnosc").text
    assert 'href="mailto:a11y@torun.example"' in page
    assert 'href="tel:+48123"' in page


def test_statement_contact_comes_from_the_environment(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCESSIBILITY_CONTACT_EMAIL", "dostepnosc@um.torun.pl")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["ACCESSIBILITY_CONTACT"] == {"email": "dostepnosc@um.torun.pl"}
