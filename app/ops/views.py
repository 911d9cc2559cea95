"""``/healthz``: the process answers (liveness; touches nothing). ``/readyz``: the database and, if
configured, Redis answer (readiness; a load balancer stops sending requests while it fails).
Both are exempt from rate limits and never cached."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify

from app.extensions import db, limiter
from app.ops.blueprint import bp


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks: dict[str, str] = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # any failure means "not ready", never a 500 page
        checks["database"] = type(error).__name__
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = type(error).__name__
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)
