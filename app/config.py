"""Configuration from environment variables, with safe defaults for a zero set-up start."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _https() -> bool:
    return os.environ.get("PREFERRED_URL_SCHEME", "http") == "https"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _cache_settings() -> dict:
    url = os.environ.get("CACHE_REDIS_URL") or os.environ.get("REDIS_URL", "")
    if url:
        settings = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url}
    else:
        settings = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    settings["CACHE_KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "wspolnie:")
    settings["CACHE_DEFAULT_TIMEOUT"] = 300
    settings["PAGE_CACHE"] = _bool("PAGE_CACHE", bool(url))
    return settings


def database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'wspolnie.sqlite'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    # Heroku-style URLs and bare postgresql:// should use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    settings = {
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": overrides.get("SQLALCHEMY_DATABASE_URI")
        or database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        # Sessions and cookies. Secure cookies follow the scheme the site is served over
        # (a start-up warning says when they are off outside development).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", _https()),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", _https()),
        # "Zapamiętaj mnie" lasts this long; a session without it ends after SESSION_HOURS
        # (both are also ended server-side by logging out, app/accounts/sessions.py).
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("REMEMBER_DAYS", 30))),
        "SESSION_HOURS": int(os.environ.get("SESSION_HOURS", 24)),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)),
        # Space photos (app/spaces/service/photos.py): where they are stored (default
        # instance/uploads/spaces) and the largest upload accepted.
        "PHOTO_UPLOAD_FOLDER": os.environ.get("PHOTO_UPLOAD_FOLDER", ""),
        "PHOTO_MAX_BYTES": int(os.environ.get("PHOTO_MAX_BYTES", 5 * 1024 * 1024)),
        # Pages are often left open for hours (a provider's inbox); a token per session is enough.
        "WTF_CSRF_TIME_LIMIT": None,
        # i18n: Polish is the source language.
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
        "LANGUAGES": {"pl": "Polski", "en": "English", "uk": "Українська"},
        # Mail: without MAIL_SERVER, messages go to the log and the outbox table.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Wspólnie <noreply@localhost>"
        ),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", 30)),
        # Background jobs (app/jobs.py): SQLite storage in instance/ by default, Redis if set.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND")
        or ("redis" if os.environ.get("REDIS_URL") else "sqlite"),
        # Cache (Flask-Caching; app/page_cache.py): Redis when CACHE_REDIS_URL or REDIS_URL is
        # set, else one SimpleCache per process. Anonymous pages are cached only with a shared
        # backend unless PAGE_CACHE says otherwise (see app/page_cache.py).
        **_cache_settings(),
        "PAGE_CACHE_TIMEOUT": int(os.environ.get("PAGE_CACHE_TIMEOUT", 60)),
        # Production (app/ops, docs/deploy.md): a read replica for the lists and search, hashed
        # static files, JSON logs, Prometheus metrics (METRICS=true; /metrics from the networks
        # in METRICS_ALLOWED, comma-separated).
        "DATABASE_REPLICA_URL": os.environ.get("DATABASE_REPLICA_URL", ""),
        "DATABASE_REPLICA_CACHE_SECONDS": int(os.environ.get("DATABASE_REPLICA_CACHE_SECONDS", 5)),
        "STATIC_HASHED": _bool("STATIC_HASHED", not overrides.get("TESTING")),
        "STATIC_BUILD_DIR": os.environ.get("STATIC_BUILD_DIR", ""),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "METRICS": _bool("METRICS", False),
        "METRICS_ALLOWED": os.environ.get("METRICS_ALLOWED", "127.0.0.1/32,::1/128"),
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/plain",
            "text/csv",
            "text/calendar",
            "application/javascript",
            "application/json",
            "application/xml",
            "application/ld+json",
            "application/rdf+xml",
            "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        # Not streamed responses: those are files sent from disk (static files without
        # WhiteNoise, photos), which Flask-Compress reads without closing them; WhiteNoise serves
        # its own precompressed copies of the static files.
        "COMPRESS_STREAMS": False,
        # Rate limits (app/limits.py): counted in RATELIMIT_STORAGE_URI, else in REDIS_URL,
        # else in memory (per worker process). TRUSTED_PROXIES: proxies in front (ProxyFix).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", ""),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Accounts
        "PASSWORD_RESET_MAX_AGE": 2 * 3600,
        "EMAIL_CONFIRM_MAX_AGE": 7 * 24 * 3600,
        # Busy times imported from providers' calendars (app/calendars/imports). The allow-list
        # (comma-separated hosts or networks) lets addresses through that the SSRF guard refuses
        # (loopback, private networks): empty in production; tests put 127.0.0.1 there.
        "CALENDAR_IMPORT_ALLOWLIST": os.environ.get("CALENDAR_IMPORT_ALLOWLIST", ""),
        "CALENDAR_IMPORT_MAX_BYTES": int(
            os.environ.get("CALENDAR_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
        ),
        "CALENDAR_IMPORT_CONNECT_TIMEOUT": float(
            os.environ.get("CALENDAR_IMPORT_CONNECT_TIMEOUT", 5)
        ),
        "CALENDAR_IMPORT_READ_TIMEOUT": float(os.environ.get("CALENDAR_IMPORT_READ_TIMEOUT", 30)),
        "CALENDAR_IMPORT_REFRESH_MINUTES": int(
            os.environ.get("CALENDAR_IMPORT_REFRESH_MINUTES", 180)
        ),
        "CALENDAR_IMPORT_MAX_OCCURRENCES": int(
            os.environ.get("CALENDAR_IMPORT_MAX_OCCURRENCES", 20000)
        ),
        # RODO (GDPR): the controller named in the privacy notice and the terms, the notice and
        # terms versions (a change asks every user to accept the new one on their next visit)
        # and how long personal data is kept (app/accounts/retention.py).
        "PRIVACY_CONTROLLER_NAME": os.environ.get("PRIVACY_CONTROLLER_NAME", "Gmina Miasta Toruń"),
        "PRIVACY_CONTROLLER_ADDRESS": os.environ.get(
            "PRIVACY_CONTROLLER_ADDRESS", "ul. Wały gen. Sikorskiego 8, 87-100 Toruń"
        ),
        # The controller's general e-mail, shown when set (the IOD's address always is).
        "PRIVACY_CONTROLLER_EMAIL": os.environ.get("PRIVACY_CONTROLLER_EMAIL", ""),
        "PRIVACY_IOD_EMAIL": os.environ.get("PRIVACY_IOD_EMAIL", "iod@um.torun.pl"),
        # The processors the notice names, separated by ";" (e.g. the hosting and mail firms).
        "PRIVACY_PROCESSORS": os.environ.get("PRIVACY_PROCESSORS", ""),
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12-01"),
        "TERMS_VERSION": os.environ.get("TERMS_VERSION", "2026-12-01"),
        "PERSONAL_DATA_RETENTION_DAYS": int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", 365)),
        "DECLINED_REQUEST_RETENTION_DAYS": int(
            os.environ.get("DECLINED_REQUEST_RETENTION_DAYS", 90)
        ),
        "OUTBOX_RETENTION_DAYS": int(os.environ.get("OUTBOX_RETENTION_DAYS", 30)),
        # Concluded volunteer agreements (and their guardian consents and time sheets) whose
        # volunteer erased their data keep the names this many full calendar years after the
        # engagement ended (grant settlements, claims), then are anonymised.
        "AGREEMENT_RETENTION_YEARS": int(os.environ.get("AGREEMENT_RETENTION_YEARS", 5)),
        # Open data (/otwarte-dane): the licence of every dataset, CC0-1.0 or CC-BY-4.0.
        "OPEN_DATA_LICENCE": os.environ.get("OPEN_DATA_LICENCE", "CC0-1.0"),
        "OPEN_DATA_PUBLISHER": os.environ.get("OPEN_DATA_PUBLISHER", "Gmina Miasta Toruń"),
        # The DCAT contact point's e-mail (dane.gov.pl shows it with each dataset); empty: the
        # contact point is the open data page only.
        "OPEN_DATA_CONTACT_EMAIL": os.environ.get("OPEN_DATA_CONTACT_EMAIL", ""),
        # Contact in the accessibility statement (/dostepnosc); demo values otherwise.
        "ACCESSIBILITY_CONTACT": {
            key: value
            for key in ("person", "email", "phone")
            if (value := os.environ.get(f"ACCESSIBILITY_CONTACT_{key.upper()}"))
        },
    }
    if overrides.get("TESTING") and "JOBS_BACKEND" not in overrides:
        settings["JOBS_BACKEND"] = "immediate"  # a test sees a job's effect when it commits
    settings.update(overrides)
    url = settings["SQLALCHEMY_DATABASE_URI"]
    in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
    if url.startswith("sqlite") and not in_memory and "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        # Every writing request holds a connection while it waits for SQLite's write lock;
        # connections to a file are cheap, so the pool must not be what makes requests fail.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "max_overflow": -1}
    if url.startswith("postgresql") and "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        # No JIT compilation: the search statements' cost estimates (full-text matches of
        # unknown selectivity) cross the JIT threshold, and compiling them took 0.1-1.2 s on
        # every request at 100,000 organisations, for queries that run in milliseconds.
        options = dict(settings["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": "-c jit=off"}
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = options
    return settings
