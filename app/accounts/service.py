"""Account logic as plain functions: registration, confirmation, passwords."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db
from app.mail import send_mail

CONFIRM_SALT = "accounts.confirm-email"
RESET_SALT = "accounts.reset-password"


class EmailTaken(Exception):
    pass


class InvalidToken(Exception):
    """The link is broken, expired or already used."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def register_user(name: str, email: str, password: str, *, locale: str | None = None) -> User:
    """Create an unconfirmed account and e-mail the confirmation link."""
    user = User(name=name.strip(), email=normalise_email(email), locale=locale)
    user.set_password(password)
    try:
        with db.session.begin_nested():  # the unique index decides, not a prior lookup
            db.session.add(user)
    except IntegrityError as error:
        raise EmailTaken from error
    send_confirmation(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as a real check so response times do not reveal accounts.
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password):
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


# --- tokens ------------------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # Ties a reset link to the current password: once used, it stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"id": user.id, "email": user.email})


def reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"id": user.id, "pw": _password_fingerprint(user)})


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature) as error:
        raise InvalidToken from error


def send_confirmation(user: User) -> None:
    link = url_for("accounts.confirm_email", token=confirmation_token(user), _external=True)
    send_mail(
        user.email,
        _l("Potwierdź adres e-mail w serwisie Wspólnie"),
        "accounts/mail/confirm_email.txt",
        locale=user.locale,
        user=user,
        link=link,
    )


def confirm_email(token: str) -> User:
    data = _load(CONFIRM_SALT, token, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = db.session.get(User, data.get("id"))
    if user is None or user.email != data.get("email"):
        raise InvalidToken
    user.confirm()
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; say nothing either way to the requester."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    send_mail(
        user.email,
        _l("Ustaw nowe hasło w serwisie Wspólnie"),
        "accounts/mail/reset_password.txt",
        locale=user.locale,
        user=user,
        link=link,
        hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
    )


def user_for_reset_token(token: str) -> User:
    data = _load(RESET_SALT, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, data.get("id"))
    if user is None or data.get("pw") != _password_fingerprint(user):
        raise InvalidToken
    return user


def set_new_password(user: User, password: str) -> None:
    """Set a password and end every other session of this user."""
    from app.accounts.sessions import end_all_sessions

    user.set_password(password)
    user.end_other_sessions()
    end_all_sessions(user)
    # Whoever could read the reset mail owns the address.
    user.confirm()


_DUMMY_HASH = (
    "scrypt:32768:8:1$dummysaltdummysa$"
    "0d3f5bb1c2a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
    "5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b"
)
