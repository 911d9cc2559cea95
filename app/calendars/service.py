"""Private feed tokens: one per person and scope, rotatable by their holder, revoked when the
person's role ends.

Functions run inside the caller's unit of work and only flush.
"""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.calendars.models import FeedToken, token_digest
from app.db import utcnow
from app.extensions import db


def organisation_scope(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def provider_scope(provider_id: int) -> str:
    return f"provider:{provider_id}"


def volunteer_scope(user_id: int) -> str:
    return f"volunteer:{user_id}"


def _active_token(scope: str, holder_id: int) -> FeedToken | None:
    return db.session.scalar(
        sa.select(FeedToken).where(
            FeedToken.scope == scope,
            FeedToken.holder_id == holder_id,
            FeedToken.revoked_at.is_(None),
        )
    )


def feed_token(scope: str, holder_id: int) -> str:
    """The holder's active token for a private feed, created on first use (get-or-create).

    A GET view that calls this writes on the first visit: mark it ``@writes``
    (app/unit_of_work.py) so that on SQLite it waits for the write lock. Concurrent first
    visits are decided by the partial unique index: the loser's insert is undone in its
    savepoint and it takes the winner's token."""
    token = _active_token(scope, holder_id)
    if token is not None:
        return token.token
    try:
        with db.session.begin_nested():
            token = FeedToken(scope=scope, holder_id=holder_id)
            db.session.add(token)
            db.session.flush()
    except IntegrityError:
        token = _active_token(scope, holder_id)
        if token is None:
            raise
    return token.token


def rotate_feed_token(scope: str, holder_id: int) -> str:
    """Revoke the holder's current token (their old subscription link stops working) and issue a
    new one. Colleagues' links to the same calendar are not touched."""
    revoke_feed_tokens(holder_id, scope)
    token = FeedToken(scope=scope, holder_id=holder_id)
    db.session.add(token)
    db.session.flush()
    return token.token


def revoke_feed_tokens(holder_id: int, scope: str | None = None) -> None:
    """End a person's links: to one calendar (``scope``) or, without it, to all of them."""
    statement = sa.update(FeedToken).where(
        FeedToken.holder_id == holder_id, FeedToken.revoked_at.is_(None)
    )
    if scope is not None:
        statement = statement.where(FeedToken.scope == scope)
    db.session.execute(
        statement.values(revoked_at=utcnow()), execution_options={"synchronize_session": False}
    )


def token_for(secret: str) -> FeedToken | None:
    """The active token a feed URL carries, or None. Looked up by digest and compared in
    constant time, so neither step tells a guesser how close they came."""
    if not secret or len(secret) > 64:
        return None
    token = db.session.scalar(
        sa.select(FeedToken).where(
            FeedToken.digest == token_digest(secret), FeedToken.revoked_at.is_(None)
        )
    )
    if token is None or not hmac.compare_digest(token.token.encode(), secret.encode()):
        return None
    return token
