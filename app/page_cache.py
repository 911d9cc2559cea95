"""Rendered anonymous pages from a cache, correct by construction.

What is cached: the GET responses (pages and their htmx fragments) of the endpoints in
``CACHED_ENDPOINTS`` — home, the lists, profiles, the spaces catalogue — for visitors who are not
logged in. The key is the language, page-or-fragment and the URL with its query string::

    page:<language>:<page|fragment>:<path?query>

and the entry holds the data generation it was rendered at. The generation is a counter in the
cache backend bumped after every committed write (``app.db.on_committed_write``, called by the
unit of work for any transaction that flushed or executed an INSERT/UPDATE/DELETE): no writer can
forget it, and a change is visible on the very next request, since an entry of another generation
is a miss. The counter and the entry are read in one round trip (MGET), the whole cost of a hit
besides the response itself. ``PAGE_CACHE_TIMEOUT`` bounds what changes by the clock alone (an offer whose
last shift has just passed).

Never cached or served from the cache: a logged-in user's request; a request while a flash
message waits in the session; a response that sets a cookie other than the anonymous session's
(a language choice), or that is not 200 HTML. Every page carries CSRF tokens (the language switch,
the htmx meta tag): the cached copy holds a placeholder and each response gets its visitor's own
token, so a shared page never shares a token.

List pages (``ETAG_ENDPOINTS``) answer ``If-None-Match`` with 304: the ETag is the body's hash
(with the placeholder) plus the visitor's token, so a new session gets the page again.

The counter lives in the cache backend, so the page cache is on by default only with a shared
backend (Redis: ``CACHE_REDIS_URL`` or ``REDIS_URL``); with the per-process SimpleCache several
workers would not see each other's bumps. ``PAGE_CACHE=true`` forces it on (one process, tests).
"""

from __future__ import annotations

import hashlib
import time

from cachelib.redis import RedisCache
from flask import Flask, current_app, g, has_app_context, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import db as app_db
from app.extensions import cache

CACHED_ENDPOINTS = frozenset(
    {
        "pages.home",
        "volunteering.index",
        "volunteering.opportunity",
        "organisations.index",
        "organisations.profile",
        "spaces.index",
        "spaces.space",
    }
)
# Lists answer conditional requests with 304.
ETAG_ENDPOINTS = frozenset({"volunteering.index", "organisations.index", "spaces.index"})

GENERATION_KEY = "page-generation"
PLACEHOLDER = "\x00csrf-token\x00"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "HX-Push-Url", "HX-Trigger")


def _fresh_generation() -> int:
    # Not 0: a counter lost to an eviction or a restart must not come back to numbers whose
    # pages may still be cached.
    return time.time_ns() // 1000


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.cache.add(GENERATION_KEY, _fresh_generation(), timeout=0)
        value = cache.get(GENERATION_KEY)
    return int(value or 0)


def bump_generation() -> None:
    """A committed write: every cached page is now stale (its key names the old generation)."""
    if not has_app_context() or not current_app.config.get("PAGE_CACHE"):
        return
    backend = cache.cache
    try:
        if isinstance(backend, RedisCache):  # INCR: atomic across processes, no expiry
            if not backend.add(GENERATION_KEY, _fresh_generation(), timeout=0):
                backend.inc(GENERATION_KEY)
        else:  # one process: cachelib's inc() would give the counter the default timeout
            backend.set(GENERATION_KEY, generation() + 1, timeout=0)
    except Exception:  # a cache outage must not fail a committed write
        current_app.logger.exception("could not bump the page cache generation")


def _eligible() -> bool:
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS:
        return False
    if current_user.is_authenticated or "_flashes" in session:
        return False
    return not request.headers.get("HX-History-Restore-Request")


def _key() -> str:
    from flask_babel import get_locale

    part = "fragment" if request.headers.get("HX-Request") else "page"
    return f"page:{get_locale()}:{part}:{request.full_path}"


def _token_tag() -> str:
    raw = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), "")
    return hashlib.sha256(str(raw).encode()).hexdigest()[:8]


def _serve_from_cache():
    if not current_app.config.get("PAGE_CACHE") or not _eligible():
        return None
    g.page_cache_key = _key()
    current, entry = cache.get_many(GENERATION_KEY, g.page_cache_key)
    if current is None:
        current = generation()  # (starts the counter)
    # What this request renders belongs to the generation it began at: a write committed while
    # it renders makes the stored copy stale at once.
    g.page_cache_generation = int(current)
    if entry is None or entry[0] != g.page_cache_generation:
        return None
    _generation, body, headers, digest = entry
    g.page_cache_hit = True
    response = current_app.response_class(
        body.replace(PLACEHOLDER, generate_csrf()), status=200, headers=headers
    )
    response.headers["X-Page-Cache"] = "hit"
    return _conditional(response, digest)


def _conditional(response, digest: str):
    if request.endpoint in ETAG_ENDPOINTS:
        response.set_etag(f"{digest}-{_token_tag()}")
        response.headers["Cache-Control"] = "no-cache"  # revalidate: a 304 is cheap
        response.make_conditional(request)
    return response


def _store(response):
    key = g.pop("page_cache_key", None)
    if key is None or g.get("page_cache_hit"):
        return response
    if response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed:
        return response
    cookie_name = current_app.config.get("SESSION_COOKIE_NAME", "session")
    cookies = response.headers.getlist("Set-Cookie")
    if any(not c.startswith(f"{cookie_name}=") for c in cookies):
        return response  # a language choice, a remember-me cookie: this visitor's alone
    if "_flashes" in session or current_user.is_authenticated:
        return response  # logged in or flashed during the request
    body = response.get_data(as_text=True)
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(token, PLACEHOLDER)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    headers = [(name, value) for name in KEPT_HEADERS for value in response.headers.getlist(name)]
    timeout = current_app.config["PAGE_CACHE_TIMEOUT"]
    if g.get("read_from_replica"):  # a lagging replica's page must not outlive the lag
        timeout = min(timeout, current_app.config.get("DATABASE_REPLICA_CACHE_SECONDS", 5))
    cache.set(key, (g.page_cache_generation, body, headers, digest), timeout=timeout)
    response.headers["X-Page-Cache"] = "miss"
    return _conditional(response, digest)


def init_app(app: Flask) -> None:
    cache.init_app(app)
    app_db.on_committed_write(bump_generation)
    app.before_request(_serve_from_cache)
    app.after_request(_store)
