from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


def new_token() -> str:
    """256 random bits, URL-safe (the issue asks for at least 128)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What a feed URL is looked up by: the index sees a hash, never the secret itself, so the
    lookup's timing says nothing about how much of a guessed token was right."""
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(Base):
    """The secret part of one person's private iCal feed URL (calendar apps cannot log in).

    ``scope`` names what the feed shows (``organisation:12``, ``provider:3``, ``volunteer:45``),
    ``holder`` whose link it is: every member of an organisation and every manager of a
    provider has their own link, so one person rotating theirs (or leaving) never breaks a
    colleague's subscription. Rotating adds a row and revokes the old one. A holder has at most
    one active token per scope: the partial unique index decides between concurrent first visits.
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (
        sa.Index("ix_feed_tokens_holder", "holder_id"),
        sa.Index(
            "uq_feed_tokens_one_active_per_holder",
            "scope",
            "holder_id",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(80))
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    def __init__(self, **kwargs):
        kwargs.setdefault("token", new_token())
        kwargs.setdefault("digest", token_digest(kwargs["token"]))
        super().__init__(**kwargs)
