"""HTTP security headers and the login manager's user loader."""

from __future__ import annotations

import hmac

from flask import g, request
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
        from app.accounts.sessions import session_is_active

        raw_id, _, rest = user_id.partition(":")
        token, _, key = rest.partition(":")
        if not raw_id.isdigit() or int(raw_id) > 2**31 - 1 or not token or not key:
            return None
        user = db.session.get(User, int(raw_id))
        # A changed user token (password change) ends every older session; logging out ends
        # this one (its row is revoked), so a copied cookie stops working.
        if user is None or not hmac.compare_digest(token, user.session_token):
            return None
        if not session_is_active(user.id, key):
            return None
        user.session_key = key
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
        if request.is_secure:
            # Browsers that saw the site over HTTPS never try plain HTTP again (a year).
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.vary.add("HX-Request")
        return response
