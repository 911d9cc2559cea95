"""gunicorn reads this file from the working directory by default (docs/deploy.md).

Settings come from the environment so one file serves a laptop and a server:

- ``WEB_CONCURRENCY`` workers (default: 2 per core, at least 2). Sync workers: the app is
  CPU-bound rendering plus short database calls; the reverse proxy buffers slow clients.
- ``preload_app``: the master imports the app once and forks the workers, which share its
  memory copy-on-write and start at once. Safe now that no dictionary loads in the background
  (the lemmatiser lives in the job worker, docs/search.md); database connections are dropped
  in each new worker (``post_fork``) so no two processes share a socket.
- ``timeout`` 30 s (a request longer than that is a bug, and the worker is replaced);
  ``graceful_timeout`` 30 s for deploys; ``keepalive`` 5 s behind the proxy.
- ``max_requests`` with jitter: workers are recycled now and then, so a slow leak never grows.
- Prometheus multiprocess mode: with ``PROMETHEUS_MULTIPROC_DIR`` set, a dead worker's samples
  are marked (``child_exit``), as prometheus-flask-exporter documents.

No server banner: gunicorn sends "Server: gunicorn" with every response, which tells an
attacker what to look up. The header now names only the service.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "wspolnie"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2)))
worker_class = "sync"
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# The app writes its own JSON access lines with the request id (app/ops/request_log.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Only the proxy in front may set X-Forwarded-*; ProxyFix in the app trusts TRUSTED_PROXIES hops.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Each worker opens its own database connections (the master may have opened some)."""
    if not server.cfg.preload_app:
        return  # the worker imports the app itself, with fresh connections
    try:
        import wsgi

        with wsgi.app.app_context():
            from app.extensions import db

            db.engine.dispose(close=False)
            replica = wsgi.app.extensions.get("database_replica")
            if replica is not None:
                replica.dispose(close=False)
    except ImportError:
        pass


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
