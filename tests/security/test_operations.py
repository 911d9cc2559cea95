"""Operations: a database outage is a translated 503 with Retry-After (feeds get an empty
text/plain), HSTS over HTTPS, and a start-up warning when cookies are not Secure."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from tests.helpers import SECRET_KEY

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
    "sqlite": "sqlite:////nonexistent-directory/never/wspolnie.sqlite",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def outage_app(request, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param],
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}
            if request.param == "postgresql"
            else {},
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "JOBS_BACKEND": "immediate",
        }
    )
    return app


@pytest.mark.parametrize(
    "path", ["/", "/organizacje/", "/wolontariat/", "/przestrzenie/sala/x", "/szukaj/?q=senior"]
)
def test_pages_answer_503_with_retry_after_in_the_users_language(outage_app, path):
    client = outage_app.test_client()
    polish = client.get(path)
    assert polish.status_code == 503, polish.text[:300]
    assert polish.headers["Retry-After"] == "30"
    assert "Serwis chwilowo niedostępny" in polish.text
    english = client.get(path, headers={"Accept-Language": "en"})
    assert english.status_code == 503 and "temporarily unavailable" in english.text


def test_a_logged_in_user_gets_the_same_page_not_a_bare_one(outage_app):
    client = outage_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token:key"
        session["_fresh"] = True
    answer = client.get("/konto")
    assert answer.status_code == 503
    assert "Serwis chwilowo niedostępny" in answer.text
    assert "Internal Server Error" not in answer.text


@pytest.mark.parametrize(
    "path", ["/kalendarze/przestrzen/sala.ics", "/organizacje/otwarte-dane.json"]
)
def test_feeds_get_an_empty_text_answer(outage_app, path):
    answer = outage_app.test_client().get(path)
    assert answer.status_code == 503
    assert answer.mimetype == "text/plain" and answer.data == b""
    assert answer.headers["Retry-After"] == "30"


def test_hsts_only_over_https(app):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_production_start_warns_about_insecure_cookies(caplog, tmp_path, monkeypatch):
    monkeypatch.delenv("PREFERRED_URL_SCHEME", raising=False)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    with caplog.at_level(logging.WARNING, logger="app"):
        create_app(
            {"SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
        )
    assert "SESSION_COOKIE_SECURE" in caplog.text
    caplog.clear()
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    with caplog.at_level(logging.WARNING, logger="app"):
        secure = create_app(
            {"SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.db"}
        )
    assert "SESSION_COOKIE_SECURE" not in caplog.text
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
