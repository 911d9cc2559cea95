"""RODO consent: registration records acceptance of the terms and the privacy notice with
their versions and the time; a new version is asked for on the next page view (never for
feeds or downloads); the documents themselves show the city's settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.accounts.models import Consent, User
from app.extensions import db
from tests.accounts.test_accounts import register


def consents_of(user_id: int) -> list[tuple[str, str, datetime]]:
    return [
        (c.document, c.version, c.accepted_at)
        for c in db.session.scalars(
            sa.select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)
        )
    ]


def test_registration_records_both_consents_with_version_and_time(app, client):
    app.config.update(TERMS_VERSION="2027-01", PRIVACY_NOTICE_VERSION="2027-02")
    moment = datetime(2027, 3, 4, 10, 30, tzinfo=UTC)
    with freeze_time(moment):
        assert register(client).status_code == 303
    user = db.session.scalar(sa.select(User).where(User.email == "jan.kowalski@example.org"))
    assert consents_of(user.id) == [("terms", "2027-01", moment), ("privacy", "2027-02", moment)]
    # Without the tick nothing is created, and the form says why.
    response = register(client, email="inna@example.org", accept_privacy="")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(User).where(User.email == "inna@example.org")) is None


def test_register_page_links_both_documents(client):
    page = client.get("/konto/rejestracja").text
    assert 'href="/regulamin"' in page and 'href="/prywatnosc"' in page


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_new_version_is_asked_for_on_the_next_page_view(htmx, app, client, auth, make_user):
    user = make_user("ola@example.org")
    auth.login(user)
    assert client.get("/konto").status_code == 200
    app.config["PRIVACY_NOTICE_VERSION"] = "2099-01-01"

    response = client.get("/wolontariat/moje")
    assert response.status_code == 303
    assert response.location == "/konto/zgody?next=/wolontariat/moje"
    page = client.get(response.location)
    assert page.status_code == 200
    assert "wersja 2099-01-01" in page.text and 'href="/prywatnosc"' in page.text
    assert 'href="/regulamin"' not in page.text.split("<main")[1].split("Nie akceptujesz")[0]

    post = client.hx_post if htmx else client.post
    refused = post("/konto/zgody?next=/wolontariat/moje", data={})
    assert refused.status_code == (422 if htmx else 400)
    assert "Zaznacz akceptację" in refused.text
    assert len(consents_of(user.id)) == 2

    accepted = post("/konto/zgody?next=/wolontariat/moje", data={"accept": "y"})
    if htmx:
        assert accepted.headers["HX-Redirect"] == "/wolontariat/moje"
    else:
        assert accepted.status_code == 303 and accepted.location == "/wolontariat/moje"
    assert [(d, v) for d, v, _at in consents_of(user.id)][-1] == ("privacy", "2099-01-01")
    assert client.get("/wolontariat/moje").status_code == 200
    # Accepted once: the terms were not asked again, the page does not come back.
    assert len(consents_of(user.id)) == 3
    assert client.get("/konto/zgody").location == "/konto"


def test_what_stays_reachable_without_accepting(app, client, auth, make_user):
    user = make_user("ola@example.org", consented=False)
    auth.login(user)
    assert client.get("/przestrzenie/").status_code == 303
    for path in ("/regulamin", "/prywatnosc", "/konto/dane", "/konto/dane.json", "/konto/usun"):
        assert client.get(path).status_code == 200, path
    assert client.get("/organizacje/otwarte-dane.json").status_code == 200
    assert client.get("/wolontariat/nowe.atom").status_code == 200
    assert client.get("/kalendarze/prywatny/nie-ma-takiego.ics").status_code == 404
    assert client.post("/konto/wyloguj").status_code == 303
    # Anonymous visitors are never asked.
    assert client.get("/przestrzenie/").status_code == 200


def test_an_existing_account_without_any_consent_is_asked(client, auth, make_user):
    auth.login(make_user(consented=False))
    response = client.get("/konto")
    assert response.status_code == 303 and response.location.startswith("/konto/zgody")


def test_the_documents_show_the_citys_settings(app, client):
    privacy = client.get("/prywatnosc").text
    assert "Gmina Miasta Toruń" in privacy
    assert "ul. Wały gen. Sikorskiego 8, 87-100 Toruń" in privacy
    assert 'href="mailto:iod@um.torun.pl"' in privacy
    assert "365 dni po dyżurze" in privacy and "30 dni po wysłaniu" in privacy
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in privacy
    app.config.update(
        PRIVACY_CONTROLLER_NAME="Gmina Testowo",
        PRIVACY_CONTROLLER_EMAIL="urzad@testowo.pl",
        PRIVACY_IOD_EMAIL="iod@testowo.pl",
        PRIVACY_PROCESSORS="Hosting Sp. z o.o.; Poczta S.A.",
        PERSONAL_DATA_RETENTION_DAYS=1,
        PRIVACY_NOTICE_VERSION="v7",
        TERMS_VERSION="t3",
    )
    privacy = client.get("/prywatnosc").text
    assert "Gmina Testowo" in privacy and "iod@testowo.pl" in privacy
    assert "e-mail: urzad@testowo.pl" in privacy
    assert "<li>Hosting Sp. z o.o.</li>" in privacy and "<li>Poczta S.A.</li>" in privacy
    assert "1 dzień po dyżurze" in privacy and "Wersja: v7." in privacy
    terms = client.get("/regulamin").text
    assert "Gmina Testowo" in terms and "Wersja: t3." in terms
    assert "na adres urzad@testowo.pl" in terms
    assert 'href="/regulamin"' in client.get("/").text


def test_the_documents_are_translated(client):
    client.post("/jezyk", data={"lang": "en"})
    assert "Data protection officer" in client.get("/prywatnosc").text
    client.post("/jezyk", data={"lang": "uk"})
    assert "Регламент" in client.get("/regulamin").text
