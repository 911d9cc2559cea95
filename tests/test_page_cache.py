"""The page cache (app/page_cache.py): anonymous pages from the cache, never stale after a write,
never a logged-in user's page, one entry per language, a visitor's own CSRF token, 304 on lists."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.page_cache import PLACEHOLDER


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": True}


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_an_anonymous_list_comes_from_the_cache_until_a_write(client, make_organisation):
    make_organisation("Fundacja Pierwsza")
    first = client.get("/organizacje/")
    assert first.headers["X-Page-Cache"] == "miss" and "Fundacja Pierwsza" in first.text
    again = client.get("/organizacje/")
    assert again.headers["X-Page-Cache"] == "hit" and "Fundacja Pierwsza" in again.text

    make_organisation("Fundacja Druga")  # any committed write bumps the generation
    after = client.get("/organizacje/")
    assert after.headers["X-Page-Cache"] == "miss" and "Fundacja Druga" in after.text


def test_a_write_through_a_statement_is_visible_at_once(client, make_organisation):
    import sqlalchemy as sa

    from app.organisations.models import Organisation

    organisation = make_organisation("Fundacja Stara Nazwa")
    client.get("/organizacje/")
    db.session.execute(
        sa.update(Organisation).where(Organisation.id == organisation.id).values(name="Nowa")
    )
    db.session.commit()
    assert "Fundacja Stara Nazwa" not in client.get("/organizacje/").text


def test_the_query_string_and_fragments_are_separate_entries(client):
    client.get("/organizacje/")
    assert client.get("/organizacje/?q=sport").headers["X-Page-Cache"] == "miss"
    fragment = client.hx_get("/organizacje/")
    assert fragment.headers["X-Page-Cache"] == "miss" and "<html" not in fragment.text
    assert client.hx_get("/organizacje/").headers["X-Page-Cache"] == "hit"
    assert "<html" in client.get("/organizacje/").text


def test_languages_are_cached_separately(client):
    polish = client.get("/", headers={"Accept-Language": "pl"})
    english = client.get("/", headers={"Accept-Language": "en"})
    assert english.headers["X-Page-Cache"] == "miss"
    assert 'lang="pl"' in polish.text and 'lang="en"' in english.text
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en"}).text


def test_logged_in_pages_are_never_cached_nor_served_from_the_cache(app, make_user, auth):
    anonymous = app.test_client()
    anonymous.get("/organizacje/")
    assert anonymous.get("/organizacje/").headers["X-Page-Cache"] == "hit"
    auth.login(make_user(name="Zofia Zalogowana"))
    page = auth.client.get("/organizacje/")
    assert "X-Page-Cache" not in page.headers
    assert "Wyloguj" in page.text


def test_every_visitor_gets_their_own_csrf_token_and_forms_work(app):
    one, two = app.test_client(), app.test_client()
    first = one.get("/")
    second = two.get("/")
    assert second.headers["X-Page-Cache"] == "hit"
    assert PLACEHOLDER not in second.text
    assert csrf_of(first.text) != csrf_of(second.text)
    # The language switch of the cached page posts with the token it carries.
    answer = two.post(
        "/jezyk", data={"lang": "en", "next": "/", "csrf_token": csrf_of(second.text)}, csrf=False
    )
    assert answer.status_code == 303


def test_a_page_with_a_flash_message_is_not_cached(client):
    client.get("/organizacje/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Zapisano.")]
    page = client.get("/organizacje/")
    assert "X-Page-Cache" not in page.headers and "Zapisano." in page.text


def test_lists_answer_304_until_the_data_changes(client, make_organisation):
    first = client.get("/organizacje/")
    etag = first.headers["ETag"]
    assert client.get("/organizacje/", headers={"If-None-Match": etag}).status_code == 304
    make_organisation("Fundacja Nowa")
    changed = client.get("/organizacje/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Fundacja Nowa" in changed.text


def test_the_page_cache_is_off_without_a_shared_backend_by_default():
    from app.config import _cache_settings

    assert (
        _cache_settings()["PAGE_CACHE"] is False or _cache_settings()["CACHE_TYPE"] == "RedisCache"
    )


def test_304_also_for_compressed_lists(client):
    first = client.get("/organizacje/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    etag = first.headers["ETag"]
    again = client.get("/organizacje/", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304


def test_two_workers_sharing_redis_see_each_others_writes(backend, database_templates, tmp_path):
    """Two app instances (two gunicorn workers) over one database and one Redis (db 5): a write
    in one makes the other's cached page stale at once."""
    import uuid

    import redis

    from tests.helpers import make_test_app

    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings = {
        "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "PAGE_CACHE": True,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}:",
    }  # fmt: skip
    first = make_test_app(backend, database_templates, tmp_path, **settings)
    second_config = {**first.config}
    from app import create_app

    second = create_app(
        {k: second_config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")}
        | settings
    )
    reader = second.test_client()
    assert reader.get("/organizacje/").headers["X-Page-Cache"] == "miss"
    assert reader.get("/organizacje/").headers["X-Page-Cache"] == "hit"
    with first.app_context():
        from app.organisations.models import Organisation

        db.session.add(Organisation(name="Fundacja Z Pierwszego", slug="z-pierwszego"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    page = reader.get("/organizacje/")
    assert page.headers["X-Page-Cache"] == "miss" and "Fundacja Z Pierwszego" in page.text
    with second.app_context():
        db.engine.dispose()
