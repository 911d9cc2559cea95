"""Abuse limits that hold: per account and per address, counted in shared storage, with the
client's real address behind the city's proxy.

- Storage: ``RATELIMIT_STORAGE_URI``, else ``REDIS_URL`` (shared by every worker), else memory
  (per process: a start-up warning says so outside development).
- ``TRUSTED_PROXIES``: how many proxies in front of the app set X-Forwarded-For/-Proto/-Host
  (ProxyFix); 0 trusts none. Without it every visitor behind nginx shares the proxy's bucket.
- Limits per account where there is one (a school or an office behind one address is not locked
  out by one person), per address for anonymous forms, and per e-mail address for login and
  password reset (guessing one account's password from many addresses).
"""

from __future__ import annotations

import logging

from flask import request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import limiter

log = logging.getLogger(__name__)


def per_account() -> str:
    """The logged-in account, else the client's address."""
    if current_user and current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


def per_address() -> str:
    return f"address:{get_remote_address()}"


def per_email() -> str:
    """The account a login or reset form names, whoever sends it."""
    email = (request.form.get("email") or "").strip().casefold()[:254]
    return f"email:{email}"


def _limit(rate: str, key_func, scope: str, exempt_when=None):
    """A limit on POSTs; routes decorated with the same one share its budget (``scope``)."""
    return limiter.shared_limit(
        rate, scope, key_func=key_func, methods=["POST"], exempt_when=exempt_when
    )


def _logged_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


# Anonymous forms: per address (generous: a school's pupils share one).
register = _limit("20/hour", per_address, "register")
login_per_address = _limit("30/minute;200/hour", per_address, "login-address")
login_per_email = _limit("10/15 minutes;30/day", per_email, "login-email")
reset_per_address = _limit("10/hour", per_address, "reset-address")
reset_per_email = _limit("5/hour", per_email, "reset-email")
resend_confirmation = _limit("10/hour", per_address, "resend")
guest_signup = _limit("20/hour", per_address, "guest-signup", exempt_when=_logged_in)
# What a logged-in person does: per account.
password_check = _limit("10/hour", per_account, "password-check")
invitations = _limit("20/hour;50/day", per_account, "invitations")
join_requests = _limit("10/hour;30/day", per_account, "join-requests")
signups = _limit("30/hour;100/day", per_account, "signups")
booking_requests = _limit("30/hour;100/day", per_account, "booking-requests")
new_organisations = _limit("5/hour;10/day", per_account, "new-organisations")


def storage_uri(config: dict) -> str:
    return config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"


def init_app(app) -> None:
    """Before the limiter is initialised: where limits are counted, and whom to believe
    about the client's address."""
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory") and not (app.debug or app.testing):
        log.warning(
            "Rate limits are counted in memory, separately by every worker process: with "
            "several workers a limit lets through that many times more. Set REDIS_URL or "
            "RATELIMIT_STORAGE_URI=redis://..."
        )
