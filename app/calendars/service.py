"""Private feed tokens and the HTTP response for a feed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response

from app.calendars.models import FeedToken
from app.db import utcnow
from app.extensions import db


def feed_token(scope: str) -> str:
    """The active token of a private feed, created on first use. The caller commits."""
    token = db.session.scalar(
        sa.select(FeedToken).where(FeedToken.scope == scope, FeedToken.revoked_at.is_(None))
    )
    if token is None:
        token = FeedToken(scope=scope)
        db.session.add(token)
        db.session.flush()
    return token.token


def rotate_feed_token(scope: str) -> str:
    """Revoke the current token (old subscription links stop working) and issue a new one."""
    db.session.execute(
        sa.update(FeedToken)
        .where(FeedToken.scope == scope, FeedToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    token = FeedToken(scope=scope)
    db.session.add(token)
    db.session.flush()
    return token.token


def scope_for_token(token: str) -> str | None:
    return db.session.scalar(
        sa.select(FeedToken.scope).where(FeedToken.token == token, FeedToken.revoked_at.is_(None))
    )


def ical_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
