"""Verification: a member asks for the badge, city staff check the registry numbers (KRS, NIP,
REGON with their check digits) and approve, refuse with a reason, or revoke with a reason. The
members see the reason on their profile and are told the outcome by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.organisations.identifiers import expected_check_digit, nip_is_valid, regon_is_valid
from app.organisations.models import Membership, Organisation

KRS_SEARCH_URL = "https://wyszukiwarka-krs.ms.gov.pl/"


@dataclass(frozen=True)
class Identifier:
    name: str
    value: str | None
    valid: bool | None  # None: no check digit (KRS) or no number
    # The last digit as written and the one the other digits give ("" none can be right).
    check_digit: str | None = None
    expected: str | None = None


def _checked(name: str, value: str | None, is_valid) -> Identifier:
    if not value:
        return Identifier(name, value, None)
    return Identifier(name, value, is_valid(value), value[-1], expected_check_digit(name, value))


def identifiers(organisation: Organisation) -> list[Identifier]:
    return [
        Identifier("KRS", organisation.krs, None),
        _checked("NIP", organisation.nip, nip_is_valid),
        _checked("REGON", organisation.regon, regon_is_valid),
    ]


def pending() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.verification_requested_at.is_not(None),
                Organisation.verified_at.is_(None),
            )
            .order_by(Organisation.verification_requested_at, Organisation.id)
        )
    )


def request_verification(organisation: Organisation, message: str) -> None:
    if organisation.is_verified:
        raise DomainError(_l("Organizacja jest już zweryfikowana."), status=409)
    if organisation.verification_requested_at is not None:
        raise DomainError(_l("Prośba o weryfikację już czeka na Urząd."), status=409)
    organisation.verification_requested_at = utcnow()
    organisation.verification_message = message.strip()[:2000]
    db.session.flush()


def _tell_members(organisation: Organisation, outcome: str) -> None:
    members = db.session.scalars(
        sa.select(Membership).where(Membership.organisation_id == organisation.id)
    )
    subjects = {
        "approved": _l("Organizacja %(name)s jest zweryfikowana", name=organisation.name),
        "refused": _l("Weryfikacja organizacji %(name)s: odmowa", name=organisation.name),
        "revoked": _l("Cofnięto weryfikację organizacji %(name)s", name=organisation.name),
    }
    for membership in members:
        send_mail(
            membership.user.email,
            subjects[outcome],
            "staff/mail/verification.txt",
            locale=membership.user.locale,
            topic=f"org-verification:{organisation.id}:{outcome}:{utcnow():%Y%m%d%H%M%S}",
            organisation=organisation,
            outcome=outcome,
            reason=organisation.verification_refusal,
            link=url_for("organisations.profile", slug=organisation.slug, _external=True),
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Podaj powód: organizacja go zobaczy."), status=422, field="reason")
    return reason[:500]


def approve(organisation: Organisation) -> None:
    if organisation.is_verified:
        raise DomainError(_l("Organizacja jest już zweryfikowana."), status=409)
    organisation.verified_at = utcnow()
    organisation.verification_requested_at = None
    organisation.verification_refusal = ""
    db.session.flush()
    audit.record("organisation.verified", organisation=organisation)
    _tell_members(organisation, "approved")


def refuse(organisation: Organisation, reason: str) -> None:
    if organisation.is_verified or organisation.verification_requested_at is None:
        raise DomainError(_l("Ta organizacja nie czeka na weryfikację."), status=409)
    organisation.verification_refusal = _reason(reason)
    organisation.verification_requested_at = None
    db.session.flush()
    audit.record(
        "organisation.verification_refused",
        organisation=organisation,
        details=organisation.verification_refusal,
    )
    _tell_members(organisation, "refused")


def revoke(organisation: Organisation, reason: str) -> None:
    if not organisation.is_verified:
        raise DomainError(_l("Organizacja nie jest zweryfikowana."), status=409)
    organisation.verification_refusal = _reason(reason)
    organisation.verified_at = None
    db.session.flush()
    audit.record(
        "organisation.unverified",
        organisation=organisation,
        details=organisation.verification_refusal,
    )
    _tell_members(organisation, "revoked")
