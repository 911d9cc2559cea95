"""Translated error pages. htmx requests get the same message as a small fragment."""

from __future__ import annotations

import logging
import math
import time

from flask import Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from app.domain import DomainError, conflict_from
from app.rendering import refusal, render

log = logging.getLogger(__name__)

ERROR_TEXTS = {
    400: (
        _l("Nieprawidłowe żądanie"),
        _l("Serwer nie zrozumiał żądania. Sprawdź dane i spróbuj ponownie."),
    ),
    403: (_l("Brak dostępu"), _l("Nie masz uprawnień do tej strony lub operacji.")),
    404: (_l("Nie znaleziono strony"), _l("Strona nie istnieje albo została przeniesiona.")),
    405: (_l("Niedozwolona metoda"), _l("Ta strona nie obsługuje takiego żądania.")),
    409: (
        _l("Konflikt"),
        _l("Operacja koliduje z innymi danymi. Odśwież stronę i spróbuj ponownie."),
    ),
    413: (_l("Za duży plik"), _l("Przesłane dane są zbyt duże.")),
    422: (_l("Nieprawidłowe dane"), _l("Popraw zaznaczone pola i spróbuj ponownie.")),
    429: (
        _l("Zbyt wiele prób"),
        _l("Wykonano zbyt wiele prób w krótkim czasie. Odczekaj chwilę i spróbuj ponownie."),
    ),
    500: (
        _l("Błąd serwera"),
        _l("Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę."),
    ),
}


def render_error(code: int, message: str | None = None):
    title, default_message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render(
        "errors/error.html",
        "content",
        status=code,
        code=code,
        title=title,
        message=message or default_message,
    )


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(
            400,
            _l(
                "Formularz wygasł lub nie pochodzi z tej strony. Odśwież stronę i wyślij go ponownie."
            ),
        )

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        return refusal(error)

    @app.errorhandler(IntegrityError)
    def _integrity_error(error: IntegrityError):
        # A constraint refused what a concurrent request made impossible; services map the
        # constraints they expect to precise messages, this is the general answer.
        log.info("Integrity error answered as a conflict: %s", error.orig)
        return refusal(conflict_from(error))

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(error):
        return database_unavailable(error)

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError):
        if error.connection_invalidated:
            return database_unavailable(error)
        return _unexpected_error(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            return render_error(429, _retry_message())
        response = render_error(error.code, _description(error))
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected_error(error: Exception):
        log.exception("Unhandled error", exc_info=error)
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        try:
            return render_error(500)
        except Exception:  # the error page itself failed: say something plain
            return render_template("errors/plain_500.html"), InternalServerError.code


# Paths a calendar app or a script polls: they get a plain answer, never an HTML page.
MACHINE_SUFFIXES = (".ics", ".json", ".csv", ".atom", ".xml", ".txt")
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: Exception) -> Response:
    """503 with Retry-After while the database cannot be reached (or is locked past its busy
    timeout): a translated page that needs no database (the current user is not loaded: the
    session's user loader would fail the same way), an empty text/plain for feeds."""
    from app.extensions import db, login_manager

    log.error("Database unavailable: %s", error)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool drops it
        log.debug("Rollback after a database outage failed", exc_info=True)
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.endswith(MACHINE_SUFFIXES):
        return Response("", 503, headers=headers, mimetype="text/plain")
    try:
        body = render_template("errors/unavailable.html", retry_after=RETRY_AFTER_SECONDS)
    except Exception:
        log.exception("The maintenance page failed")
        body = render_template("errors/plain_500.html")
    return Response(body, 503, headers=headers, mimetype="text/html")


def _retry_message() -> str:
    """Flask-Limiter's description is the limit in English ("50 per 1 hour"); users need to
    know, in their language, how long to wait."""
    from app.extensions import limiter

    try:
        breached = [limit for limit in limiter.current_limits if limit.breached]
        reset_at = max(limit.reset_at for limit in breached)
    except (AttributeError, ValueError, RuntimeError):
        return str(ERROR_TEXTS[429][1])
    minutes = max(1, math.ceil((reset_at - time.time()) / 60))
    return ngettext(
        "Wykonano zbyt wiele prób w krótkim czasie. Spróbuj ponownie za %(num)d minutę.",
        "Wykonano zbyt wiele prób w krótkim czasie. Spróbuj ponownie za %(num)d minut.",
        minutes,
    )


def _description(error: HTTPException) -> str | None:
    """A message a view passed to ``abort(code, message)``; werkzeug's English defaults are
    replaced by our translated texts."""
    description = error.description
    default = type(error).description
    if description and description != default:
        return description
    return None
