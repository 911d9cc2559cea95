"""The app shell: pages, error pages, languages, security headers, role helpers, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask import abort
from werkzeug.exceptions import Forbidden

from app import create_app
from app.extensions import db
from app.permissions import (
    is_member,
    is_owner,
    manages_provider,
    require_member,
    require_provider_manager,
    staff_required,
)
from app.timeutil import local_day_bounds, local_to_utc, to_local


def test_home_page_is_polish_with_landmarks(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="pl">' in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert "<nav" in page and "<footer" in page and 'role="search"' in page
    for label in ("Wolontariat", "Organizacje", "Przestrzenie", "Logowanie"):
        assert label in page
    assert "htmx-2.0.11.min.js" in page
    assert "HX-Request" in response.headers["Vary"]


def test_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "title"),
    [("/dostepnosc", "Deklaracja dostępności"), ("/prywatnosc", "Ochrona danych osobowych")],
)
def test_static_pages(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<title>{title}" in response.text


def test_language_switch_is_remembered(client):
    response = client.post("/jezyk", data={"lang": "en", "next": "/dostepnosc"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dostepnosc"
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert "Volunteering" in page
    client.post("/jezyk", data={"lang": "uk", "next": "/"})
    assert '<html lang="uk">' in client.get("/").text


def test_language_switch_refuses_unknown_language_and_foreign_redirects(client):
    assert client.post("/jezyk", data={"lang": "xx"}).status_code == 400
    response = client.post("/jezyk", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}).text
    assert '<html lang="uk">' in page


def test_logged_in_users_language_comes_from_the_account(client, auth, make_user):
    auth.login(make_user(locale="en"))
    assert '<html lang="en">' in client.get("/").text


def test_polish_plural_forms(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("pl"):
        forms = [
            ngettext("%(num)d organizacja w bazie", "%(num)d organizacji w bazie", n)
            for n in (1, 2, 5, 22, 25)
        ]
    assert forms == [
        "1 organizacja w bazie",
        "2 organizacje w bazie",
        "5 organizacji w bazie",
        "22 organizacje w bazie",
        "25 organizacji w bazie",
    ]


@pytest.mark.parametrize(
    ("path", "method", "status", "text"),
    [
        ("/nie-ma-takiej-strony", "get", 404, "Nie znaleziono strony"),
        ("/jezyk", "get", 405, "Niedozwolona metoda"),
        ("/konto/wyloguj", "get", 405, "Niedozwolona metoda"),
    ],
)
def test_error_pages_are_translated(client, path, method, status, text):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert text in response.text
    assert '<html lang="pl">' in response.text


def test_error_page_in_english(client):
    client.post("/jezyk", data={"lang": "en"})
    response = client.get("/nie-ma-takiej-strony")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.fixture
def app_with_failing_routes(app):
    @app.get("/_test/boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/_test/forbidden")
    def forbidden():
        abort(403)

    @app.get("/_test/bad")
    def bad():
        abort(400)

    @app.post("/_test/upload")
    def upload():
        from flask import request

        return str(len(request.get_data()))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/_test/boom", 500, "Błąd serwera"),
        ("/_test/forbidden", 403, "Brak dostępu"),
        ("/_test/bad", 400, "Nieprawidłowe żądanie"),
    ],
)
def test_error_handlers(app_with_failing_routes, path, status, text):
    client = app_with_failing_routes.test_client()
    response = client.get(path)
    assert response.status_code == status
    assert text in response.text


def test_request_too_large(app_with_failing_routes):
    app_with_failing_routes.config["MAX_CONTENT_LENGTH"] = 10
    client = app_with_failing_routes.test_client()
    response = client.post("/_test/upload", data="x" * 100, content_type="text/plain")
    assert response.status_code == 413
    assert "Za duży plik" in response.text


def test_rate_limit_answers_429_with_a_translated_page(backend, database_templates, tmp_path):
    from tests.helpers import CSRFClient, make_test_app

    app = make_test_app(backend, database_templates, tmp_path, RATELIMIT_ENABLED=True)
    app.test_client_class = CSRFClient
    with app.app_context():
        client = app.test_client()
        statuses = [
            client.post(
                "/konto/logowanie", data={"email": "a@example.org", "password": "x"}
            ).status_code
            for _ in range(11)
        ]
        assert statuses[:10] == [400] * 10
        assert statuses[10] == 429
        response = client.post("/konto/logowanie", data={"email": "a@example.org", "password": "x"})
        assert "Zbyt wiele prób" in response.text
        # In the user's language, with when to try again, not Flask-Limiter's "10 per 1 minute".
        # The per-account budget for login is 10 per 15 minutes.
        assert "Spróbuj ponownie za 15 minut." in response.text
        assert "per 1" not in response.text
        english = client.post(
            "/konto/logowanie",
            data={"email": "a@example.org", "password": "x"},
            headers={"Accept-Language": "en"},
        )
        assert english.status_code == 429 and "per 1" not in english.text
        assert "Try again in 15 minutes." in english.text
        db.session.remove()
        db.engine.dispose()


def test_htmx_error_gets_a_fragment(client):
    response = client.hx_get("/nie-ma-takiej-strony")
    assert response.status_code == 404
    assert "<html" not in response.text
    assert "Nie znaleziono strony" in response.text


# --- roles ---------------------------------------------------------------------------------


def test_membership_helpers(app, make_user, make_organisation):
    owner, editor, stranger = make_user(), make_user(), make_user()
    organisation = make_organisation(owner=owner, editors=[editor])
    other = make_organisation(owner=stranger)
    assert is_member(owner, organisation) and is_owner(owner, organisation)
    assert is_member(editor, organisation) and not is_owner(editor, organisation)
    assert not is_member(stranger, organisation)
    assert not is_member(owner, other)


def test_require_member_aborts_for_others(app, make_user, make_organisation):
    from flask_login import login_user

    owner, editor, stranger, city = make_user(), make_user(), make_user(), make_user(staff=True)
    organisation = make_organisation(owner=owner, editors=[editor])

    def attempt(user, **kwargs):
        with app.test_request_context():
            login_user(user)
            return require_member(organisation, **kwargs)

    assert attempt(owner, owner=True).user == owner
    assert attempt(editor).user == editor
    with pytest.raises(Forbidden):
        attempt(editor, owner=True)
    with pytest.raises(Forbidden):
        attempt(stranger)
    with pytest.raises(Forbidden):
        attempt(city)
    assert attempt(city, staff_ok=True) is None


def test_provider_manager_helpers(app, make_user, make_provider):
    from flask_login import login_user

    manager, other_manager = make_user(), make_user()
    provider = make_provider(managers=[manager])
    make_provider(managers=[other_manager])
    assert manages_provider(manager, provider)
    assert not manages_provider(other_manager, provider)
    with app.test_request_context():
        login_user(other_manager)
        with pytest.raises(Forbidden):
            require_provider_manager(provider)


def test_staff_required(app, client, auth, make_user):
    @app.get("/_test/staff-only")
    @staff_required
    def staff_only():
        return "ok"

    assert client.get("/_test/staff-only").status_code == 302  # to the login page
    auth.login(make_user())
    assert client.get("/_test/staff-only").status_code == 403
    auth.login(make_user(staff=True))
    assert client.get("/_test/staff-only").status_code == 200


# --- configuration -------------------------------------------------------------------------


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    first = create_app({"SQLALCHEMY_DATABASE_URI": url}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": url}).config["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").read_text() == first


def test_database_url_accepts_plain_postgresql_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/wspolnie")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/wspolnie"


# --- time ----------------------------------------------------------------------------------


def test_datetimes_are_stored_in_utc_and_come_back_aware(app, make_user):
    from app.accounts.models import User

    user = make_user()
    moment = datetime(2026, 3, 29, 3, 30, tzinfo=to_local(datetime.now(UTC)).tzinfo)
    user.last_login_at = moment
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(User, user.id).last_login_at
    assert stored.tzinfo is not None
    assert stored == moment
    assert stored.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(app, make_user):
    user = make_user()
    user.last_login_at = datetime(2026, 1, 1, 12, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_dst_transitions_in_warsaw():
    # Spring forward: 29 March 2026 has 23 hours; autumn back: 25 October 2026 has 25 hours.
    start, end = local_day_bounds(date(2026, 3, 29))
    assert (end - start).total_seconds() == 23 * 3600
    start, end = local_day_bounds(date(2026, 10, 25))
    assert (end - start).total_seconds() == 25 * 3600
    # 18:00 local is 17:00 UTC in winter and 16:00 UTC in summer.
    assert local_to_utc(date(2026, 3, 28), time(18)).hour == 17
    assert local_to_utc(date(2026, 3, 30), time(18)).hour == 16
    assert local_to_utc(date(2026, 10, 24), time(18)).hour == 16
    assert local_to_utc(date(2026, 10, 26), time(18)).hour == 17
    # The repeated hour: 02:30 on 25 October is taken in summer time (UTC+2).
    assert local_to_utc(date(2026, 10, 25), time(2, 30)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_dates_are_shown_in_warsaw_time(app):
    from app.templating import local_datetime

    with app.test_request_context():
        shown = local_datetime(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "yyyy-MM-dd HH:mm")
    assert shown == "2026-07-02 00:30"


@pytest.mark.parametrize(
    ("locale", "expected"), [("pl", ["6", "1,5", "1 234,56"]), ("en", ["6", "1.5", "1,234.56"])]
)
def test_numbers_are_shown_in_the_users_language(app, locale, expected):
    from decimal import Decimal

    from flask_babel import force_locale

    from app.templating import number

    with app.test_request_context(), force_locale(locale):
        shown = [number(Decimal("6.00")), number(Decimal("1.50")), number(1234.56, "#,##0.00")]
    assert [s.replace("\xa0", " ") for s in shown] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "13.12.2026, 16:00"), ("en", "13/12/2026, 16:00"), ("uk", "13.12.26, 16:00")],
)
def test_dates_are_day_first_with_a_24_hour_clock_in_every_language(app, language, expected):
    """English pages are read in Poland: not the US "12/13/26, 4:00 PM"."""
    from flask import render_template_string

    moment = datetime(2026, 12, 13, 15, 0, tzinfo=UTC)
    with app.test_request_context("/", headers={"Accept-Language": language}):
        text = render_template_string(
            "{{ m | local_datetime('short') }} / {{ m | local_date('full') }}", m=moment
        )
    assert text.startswith(expected)
    assert "PM" not in text and "December 13" not in text
