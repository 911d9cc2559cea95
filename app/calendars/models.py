from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(Base):
    """The secret part of a private iCal feed URL (calendar apps cannot log in).

    ``scope`` names what the feed shows, e.g. ``organisation:12``, ``provider:3``,
    ``volunteer:45``. Rotating the token (a new row, the old one revoked) invalidates old links.
    A scope has at most one active token: the partial unique index decides between concurrent
    first visits (they once created three).
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (
        sa.Index("ix_feed_tokens_scope_active", "scope", "revoked_at"),
        sa.Index(
            "uq_feed_tokens_one_active_per_scope",
            "scope",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=_new_token)
    scope: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
