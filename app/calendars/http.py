"""The HTTP side of every feed: validators, 304s, caching headers and gzip.

Calendar apps poll a subscription every few minutes to hours. A feed's version (how many events
it holds and when the newest change happened) is one aggregate query; it gives a strong ETag and
Last-Modified, so a poll that changes nothing is answered 304 before the feed is built.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Response, request
from flask_babel import get_locale

# Bump when the feed's bytes change for the same data (new properties, another layout), so
# clients holding an old ETag get the new body.
FEED_FORMAT = 2
GZIP_LEVEL = 6
GZIP_MIN_BYTES = 1024


@dataclass(frozen=True)
class FeedVersion:
    """What a feed's bytes depend on. ``key`` names the feed (and the token generation for a
    private one); ``events`` and ``changed_at`` come from one aggregate query."""

    key: str
    events: int
    changed_at: datetime | None

    def etag(self) -> str:
        changed = self.changed_at.isoformat() if self.changed_at else "-"
        raw = f"{FEED_FORMAT}|{self.key}|{get_locale()}|{self.events}|{changed}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def feed_response(
    version: FeedVersion,
    build: Callable[[], bytes],
    filename: str,
    *,
    public: bool,
) -> Response:
    """200 with the feed, or 304 when the client's copy is current (RFC 9110 §13.1: an
    If-None-Match is decided on its own; If-Modified-Since only without it)."""
    etag = version.etag()
    gzipped = "gzip" in request.accept_encodings
    # Each representation has its own strong validator; either one in If-None-Match is current.
    sent_etag = f"{etag}-gz" if gzipped else etag
    if _is_current(version, etag):
        response = Response(status=304)
    else:
        response = Response(build(), mimetype="text/calendar")
        response.charset = "utf-8"
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
        if gzipped and response.content_length and response.content_length >= GZIP_MIN_BYTES:
            response.set_data(gzip.compress(response.get_data(), GZIP_LEVEL, mtime=0))
            response.headers["Content-Encoding"] = "gzip"
        else:
            sent_etag = etag
    response.set_etag(sent_etag)
    if version.changed_at is not None:
        response.last_modified = version.changed_at
    # Public feeds may sit in shared caches; a private feed's URL is a secret, so only the
    # subscriber's own client keeps it. Either way clients revalidate with the ETag.
    response.headers["Cache-Control"] = (
        "public, max-age=900" if public else "private, max-age=300, no-transform"
    )
    response.vary.add("Accept-Encoding")
    if not public:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _is_current(version: FeedVersion, etag: str) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag) or request.if_none_match.contains(f"{etag}-gz")
    since = request.if_modified_since
    if since is not None and version.changed_at is not None:
        return version.changed_at.replace(microsecond=0) <= since
    return False
