"""HTTP security headers and the login manager's user loader."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager

# No inline scripts or styles anywhere: htmx is configured through a <meta> tag.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
)


def allow_framing() -> None:
    """Call from a view whose page may be embedded in other sites (the city website)."""
    g.allow_framing = True


def init_app(app) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Zaloguj się, aby zobaczyć tę stronę.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(user_id: str):
        from app.accounts.models import User

        raw_id, _, token = user_id.partition(":")
        if not raw_id.isdigit():
            return None
        user = db.session.get(User, int(raw_id))
        # A changed session token (password change) ends every older session.
        if user is None or not token or token != user.session_token:
            return None
        return user

    @app.after_request
    def _security_headers(response):
        framing = g.get("allow_framing", False)
        response.headers.setdefault(
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY.format(ancestors="*" if framing else "'self'"),
        )
        if not framing:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.vary.add("HX-Request")
        return response
