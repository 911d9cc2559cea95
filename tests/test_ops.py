"""Production plumbing (app/ops): health and readiness, request ids, JSON logs, compression,
hashed static files with a long cache, Prometheus metrics and the read replica."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil

import pytest

from app.extensions import db
from tests.helpers import make_test_app


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok"}
    assert ready.headers["Cache-Control"] == "no-store"


def test_readyz_fails_when_redis_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/5"  # nothing listens on port 1
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["redis"] != "ok"


def test_readyz_checks_redis_when_configured(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    try:
        import redis

        redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=1).ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert client.get("/readyz").json["checks"] == {"database": "ok", "redis": "ok"}


def test_health_checks_are_not_rate_limited(app, client):
    app.config["RATELIMIT_ENABLED"] = True
    assert all(client.get("/healthz").status_code == 200 for _ in range(60))


def test_a_request_id_is_made_or_taken_from_a_trusted_proxy(app, client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    # No trusted proxy: a client's own header is not believed.
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] != "abc-1"
    )
    app.config["TRUSTED_PROXIES"] = 1
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    )
    bad = client.get("/healthz", headers={"X-Request-ID": "<b>x</b>"}).headers["X-Request-ID"]
    assert bad != "<b>x</b>"


def test_json_log_lines_carry_the_request_id(app, client):
    from app.ops.request_log import json_handler

    records = []
    handler = json_handler()
    handler.emit = lambda record: records.append(handler.format(record))
    logger = logging.getLogger("app.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/healthz")
    finally:
        logger.removeHandler(handler)
    line = json.loads(records[-1])
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["path"] == "/healthz" and line["status"] == 200 and "duration_ms" in line


def test_pages_are_compressed_and_gzipped_feeds_are_left_alone(client):
    page = client.get("/organizacje/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(page.data).decode()
    brotli_page = client.get("/organizacje/", headers={"Accept-Encoding": "br"})
    assert brotli_page.headers["Content-Encoding"] == "br"


@pytest.fixture
def static_app(backend, database_templates, tmp_path):
    app = make_test_app(
        backend, database_templates, tmp_path,
        STATIC_HASHED=True, STATIC_BUILD_DIR=str(tmp_path / "static-build"),
    )  # fmt: skip
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_static_files_have_hashed_names_and_a_long_cache(static_app):
    client = static_app.test_client()
    page = client.get("/").text
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    answer = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert "max-age=31536000" in answer.headers["Cache-Control"]
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.headers.get("Content-Encoding") == "gzip"
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
    answer.close()
    plain.close()


def test_metrics_behind_a_setting_and_for_the_monitoring_network_only(
    backend, database_templates, tmp_path
):
    app = make_test_app(backend, database_templates, tmp_path, METRICS=True)
    client = app.test_client()
    with app.app_context():
        client.get("/organizacje/")
        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and "flask_http_request" in metrics.text
        outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert outside.status_code == 404
        db.session.remove()
        db.engine.dispose()


def test_lists_and_search_read_from_the_replica(database_templates, tmp_path):
    """The replica is a second database: what is only there shows on the lists, while the
    primary's own rows show on every other page."""
    if "sqlite" not in database_templates:
        pytest.skip("needs the SQLite template")
    replica = tmp_path / "replica.sqlite"
    shutil.copyfile(database_templates["sqlite"], replica)
    app = make_test_app(
        "sqlite", database_templates, tmp_path, DATABASE_REPLICA_URL=f"sqlite:///{replica}"
    )
    with app.app_context():
        from app.organisations.models import Organisation

        db.session.add(Organisation(name="Fundacja Z Głównej", slug="fundacja-z-glownej"))
        db.session.commit()
        client = app.test_client()
        assert "Fundacja Z Głównej" not in client.get("/organizacje/").text  # the replica's list
        assert client.get("/organizacje/fundacja-z-glownej").status_code == 200  # the primary
        db.session.remove()
        db.engine.dispose()
