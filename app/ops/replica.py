"""Reads of chosen views from a read replica (``DATABASE_REPLICA_URL``).

GET requests of ``REPLICA_ENDPOINTS`` (the public lists and search) run on a second engine
pointed at the replica; everything else, and every request that writes, stays on the primary.
The session's ``get_bind`` does the routing (``RoutingSession``, the session class of
``app.extensions.db``), so views and services do not know about it.

A replica lags: right after a write, a list read there may not show it yet. Pages built from the
replica are therefore kept in the page cache for ``DATABASE_REPLICA_CACHE_SECONDS`` only (see
app/page_cache.py), so a page rendered from a lagging replica cannot outlive the lag for long.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession

REPLICA_ENDPOINTS = frozenset(
    {"volunteering.index", "organisations.index", "spaces.index", "search.index"}
)
EXTENSION = "database_replica"


def use_replica() -> bool:
    if not has_request_context() or request.method != "GET":
        return False
    if request.endpoint not in REPLICA_ENDPOINTS or EXTENSION not in current_app.extensions:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "unit_of_work_writes", False)


class RoutingSession(FlaskSQLAlchemySession):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and use_replica():
            g.read_from_replica = True
            return current_app.extensions[EXTENSION]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def init_app(app: Flask) -> None:
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    from app.config import normalise_database_url

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.extensions[EXTENSION] = sa.create_engine(normalise_database_url(url), **options)
