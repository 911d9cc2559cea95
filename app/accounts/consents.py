"""Consent to the terms (regulamin) and the privacy notice, per version, with its time.

The city sets the current versions (``TERMS_VERSION``, ``PRIVACY_NOTICE_VERSION``). Registering
records both. When the city publishes a new version, a logged-in person whose accepted version
is older is sent, on their next page view, to a page that asks them to accept it
(``ask_again``). Never for feeds, downloads or JSON (calendar apps and scripts cannot click),
nor for the documents themselves, logging out, downloading one's data or deleting the account:
whoever does not accept the new terms can still leave with their data.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, has_request_context, request, session, url_for
from flask_login import current_user

from app.accounts.models import Consent, ConsentDocument, User
from app.db import utcnow
from app.extensions import db
from app.rendering import see_other

# Reachable without accepting the new version.
EXEMPT_ENDPOINTS = {
    "static",
    "accounts.logout",
    "accounts.accept_documents",
    "accounts.export_data",
    "accounts.export_data_json",
    "accounts.delete_account",
    "pages.privacy",
    "pages.terms",
    "pages.set_language",
    "pages.accessibility",
}
EXEMPT_BLUEPRINTS = {"calendars", "volunteering_embed"}
MACHINE_SUFFIXES = (".ics", ".json", ".csv", ".atom", ".xml", ".txt")
SESSION_KEY = "consents_current"


def current_versions() -> dict[str, str]:
    config = current_app.config
    return {
        ConsentDocument.TERMS: str(config["TERMS_VERSION"]),
        ConsentDocument.PRIVACY: str(config["PRIVACY_NOTICE_VERSION"]),
    }


def outdated_documents(user: User) -> list[str]:
    """The documents whose current version ``user`` has not accepted."""
    versions = current_versions()
    rows = db.session.execute(
        sa.select(Consent.document, Consent.version).where(Consent.user_id == user.id)
    )
    accepted = {(document, version) for document, version in rows}
    return [doc for doc, version in versions.items() if (doc, version) not in accepted]


def record_consents(user: User, documents=ConsentDocument.ALL) -> list[Consent]:
    """Record that ``user`` accepts the current version of ``documents`` (now)."""
    versions = current_versions()
    missing = set(outdated_documents(user))
    recorded = []
    for document in documents:
        if document in missing:
            consent = Consent(
                user_id=user.id, document=document, version=versions[document], accepted_at=utcnow()
            )
            db.session.add(consent)
            recorded.append(consent)
    db.session.flush()
    _remember_current(user)
    return recorded


def consents_of(user: User) -> list[Consent]:
    return list(
        db.session.scalars(
            sa.select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)
        )
    )


def _marker(user: User) -> str:
    versions = current_versions()
    return f"{user.id}|{versions[ConsentDocument.TERMS]}|{versions[ConsentDocument.PRIVACY]}"


def _remember_current(user: User) -> None:
    """The session remembers that this person accepted these versions (a signed cookie: no
    query per page view); a new version no longer matches the marker."""
    if has_request_context():
        session[SESSION_KEY] = _marker(user)


def _exempt() -> bool:
    endpoint = request.endpoint
    if endpoint is None or endpoint in EXEMPT_ENDPOINTS:
        return True
    if request.blueprint in EXEMPT_BLUEPRINTS:
        return True
    return request.path.endswith(MACHINE_SUFFIXES)


def ask_again():
    """``before_app_request``: send a person with an outdated consent to the accept page."""
    if not current_user.is_authenticated or _exempt():
        return None
    user = current_user._get_current_object()
    if session.get(SESSION_KEY) == _marker(user):
        return None
    if not outdated_documents(user):
        _remember_current(user)
        return None
    return see_other(url_for("accounts.accept_documents", next=request.full_path.rstrip("?")))
