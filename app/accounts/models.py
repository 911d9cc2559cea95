from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Base, TimestampMixin, utcnow

if TYPE_CHECKING:
    from app.organisations.models import Membership
    from app.spaces.models import ProviderManager


def _new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, Base):
    """Anyone with an account. Every user is a resident/volunteer; other roles come from
    memberships (organisations), provider managers (spaces) and the ``is_staff`` flag (city)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    confirmed_at: Mapped[datetime | None]
    is_staff: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active_account: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    last_login_at: Mapped[datetime | None]
    # Part of the id stored in the session cookie: rotating it logs out every other session
    # (after a password change or reset).
    session_token: Mapped[str] = mapped_column(sa.String(32), default=_new_session_token)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    provider_roles: Mapped[list[ProviderManager]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # The key of the server-side session this object was loaded for or logged in with
    # (app/accounts/sessions.py); not a column.
    session_key = None

    # Flask-Login: what the session and remember-me cookies carry.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}:{self.session_key or ''}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_other_sessions(self) -> None:
        self.session_token = _new_session_token()

    def confirm(self) -> None:
        if self.confirmed_at is None:
            self.confirmed_at = utcnow()


class UserSession(Base):
    """One login on one device (app/accounts/sessions.py): active until logout, expiry or a
    password change. Only the digest of its key is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ConsentDocument:
    """The documents a person accepts: the terms of use (regulamin) and the privacy notice."""

    TERMS = "terms"
    PRIVACY = "privacy"
    ALL = (TERMS, PRIVACY)


class Consent(Base):
    """One acceptance of one version of a document, with its time (RODO art. 7(1): the
    controller must be able to show it). No IP address or browser is kept: the logged-in
    account and the time prove it well enough (data minimisation, art. 5(1)(c))."""

    __tablename__ = "consents"
    __table_args__ = (sa.UniqueConstraint("user_id", "document", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[str] = mapped_column(sa.String(40))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
