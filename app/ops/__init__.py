"""Running the app in production: health and readiness, request ids and JSON logs, compression,
hashed static files, Prometheus metrics and the read replica (docs/deploy.md)."""

from __future__ import annotations

import ipaddress
import os

from flask import Flask, abort, request


def init_app(app: Flask) -> None:
    from flask_compress import Compress

    from app.ops import replica, request_log, static_files

    request_log.init_app(app)
    replica.init_app(app)
    # Responses that are already compressed (the iCal feeds gzip themselves, app/calendars/
    # http.py) carry Content-Encoding and are left alone by Flask-Compress.
    Compress(app)
    _init_metrics(app)
    static_files.init_app(app)  # last: WhiteNoise wraps the finished WSGI app


def _init_metrics(app: Flask) -> None:
    """Prometheus metrics at /metrics (``METRICS=true``), readable from ``METRICS_ALLOWED`` only.
    Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, cleared at each start):
    every worker writes its samples there and /metrics adds them up (docs/deploy.md)."""
    if not app.config.get("METRICS"):
        return
    options = {
        "path": "/metrics",
        "group_by": "endpoint",
        "excluded_paths": ["^/healthz$", "^/readyz$", "^/static/"],
    }
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        GunicornInternalPrometheusMetrics(app, **options)
    else:
        from prometheus_client import CollectorRegistry
        from prometheus_flask_exporter import PrometheusMetrics

        PrometheusMetrics(app, registry=CollectorRegistry(), **options)
    networks = [
        ipaddress.ip_network(n.strip(), strict=False)
        for n in app.config.get("METRICS_ALLOWED", "").split(",")
        if n.strip()
    ]

    @app.before_request
    def metrics_only_for_the_monitoring_network():
        if request.path != "/metrics":
            return
        try:
            address = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            abort(404)
        if not any(address in network for network in networks):
            abort(404)
