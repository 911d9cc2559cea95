"""Private feed tokens and the HTTP response for a feed.

Functions run inside the caller's unit of work and only flush.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from sqlalchemy.exc import IntegrityError

from app.calendars.models import FeedToken
from app.db import utcnow
from app.extensions import db


def _active_token(scope: str) -> FeedToken | None:
    return db.session.scalar(
        sa.select(FeedToken).where(FeedToken.scope == scope, FeedToken.revoked_at.is_(None))
    )


def feed_token(scope: str) -> str:
    """The active token of a private feed, created on first use (get-or-create).

    A GET view that calls this writes on the first visit: mark it ``@writes``
    (app/unit_of_work.py) so that on SQLite it waits for the write lock. Concurrent first
    visits are decided by the partial unique index: the loser's insert is undone in its
    savepoint and it takes the winner's token."""
    token = _active_token(scope)
    if token is not None:
        return token.token
    try:
        with db.session.begin_nested():
            token = FeedToken(scope=scope)
            db.session.add(token)
            db.session.flush()
    except IntegrityError:
        token = _active_token(scope)
        if token is None:
            raise
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
