"""Server-side sessions: logging out ends that session for good.

The session cookie (and the "remember me" cookie) carry ``<user id>:<user token>:<session key>``.
Each login makes a ``UserSession`` row; the user loader accepts a cookie only while its row is
active and unexpired. So a copied session or remember-me cookie stops working at logout, a
password change ends every other session (the user token changes), and each device's session
ends on its own. Rows are kept by digest only (the key itself lives in the user's cookie); rows ended more than
30 days ago are purged daily (app/accounts/tasks.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_login import login_user, logout_user

from app.accounts.models import UserSession
from app.db import utcnow
from app.extensions import db

# Revoked and expired rows are kept this long (a user asking "was I logged in then?"), then go.
KEEP_ENDED = timedelta(days=30)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user, *, remember: bool = False) -> str:
    """A new server-side session for ``user``; its key becomes part of ``user.get_id()``."""
    key = secrets.token_urlsafe(24)
    config = current_app.config
    lifetime = (
        config["REMEMBER_COOKIE_DURATION"] if remember else timedelta(hours=config["SESSION_HOURS"])
    )
    now = utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            digest=_digest(key),
            remember=remember,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    user.session_key = key
    return key


def session_is_active(user_id: int, key: str) -> bool:
    row = db.session.scalar(
        sa.select(UserSession).where(
            UserSession.digest == _digest(key),
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > utcnow(),
        )
    )
    return row is not None and hmac.compare_digest(str(row.user_id), str(user_id))


def end_session(user) -> None:
    key = getattr(user, "session_key", None)
    if key:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.digest == _digest(key), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_all_sessions(user, *, keep_current: bool = False) -> None:
    """End every session of ``user`` (password change, account deactivation)."""
    statement = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    key = getattr(user, "session_key", None)
    if keep_current and key:
        statement = statement.where(UserSession.digest != _digest(key))
    db.session.execute(statement.values(revoked_at=utcnow()))


def sign_in(user, *, remember: bool = False) -> None:
    start_session(user, remember=remember)
    login_user(
        user,
        remember=remember,
        duration=current_app.config["REMEMBER_COOKIE_DURATION"] if remember else None,
    )


def sign_out(user) -> None:
    end_session(user)
    logout_user()


def purge_ended_sessions(now: datetime | None = None) -> int:
    cutoff = (now or utcnow()) - KEEP_ENDED
    result = db.session.execute(
        sa.delete(UserSession).where(
            sa.or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff)
        )
    )
    return result.rowcount or 0
