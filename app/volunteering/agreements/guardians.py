"""A minor's guardian consents (or declines) by a one-time e-mail link, or on paper.

Until the consent arrives the sign-up waits: the organisation cannot accept it and no shift
counts (``require_in_force``). The link carries a random token; only its SHA-256 is stored. It
works once and expires after a week or when the shift starts, whichever is sooner; a new
request supersedes the previous link. Under 13 the guardian is the party to the agreement, so
consenting is also accepting the agreement on the child's behalf.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.volunteering.agreements.models import ConsentDecision, GuardianConsent
from app.volunteering.agreements.service import agreement_for, ensure_agreement
from app.volunteering.models import Signup, SignupStatus

LINK_VALID = timedelta(days=7)
# By birth year only: whoever turns 13 this year may still be 12 on the day.
GUARDIAN_PARTY_UP_TO_AGE = 13
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SUBJECT = _l("Prośba o zgodę na wolontariat: %(title)s")


def is_email(contact: str) -> bool:
    return bool(_EMAIL.match(contact.strip()))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def waiting_for_consent(signup: Signup) -> bool:
    return signup.guardian_name is not None and signup.guardian_consent_at is None


def latest_consent(signup: Signup) -> GuardianConsent | None:
    return db.session.scalar(
        sa.select(GuardianConsent)
        .where(GuardianConsent.signup_id == signup.id)
        .order_by(GuardianConsent.id.desc())
        .limit(1)
    )


def request_consent(signup: Signup, *, email: str | None, now: datetime | None = None):
    """Ask the guardian: mail a fresh link (earlier unused links stop working), or, without an
    e-mail address, wait for the paper form."""
    now = now or utcnow()
    for old in db.session.scalars(
        sa.select(GuardianConsent).where(
            GuardianConsent.signup_id == signup.id, GuardianConsent.used_at.is_(None)
        )
    ):
        old.expires_at = now
    consent = GuardianConsent(
        signup=signup, guardian_name=signup.guardian_name or "", guardian_email=email
    )
    db.session.add(consent)
    if email:
        token = secrets.token_urlsafe(32)
        consent.token_hash = hash_token(token)
        consent.expires_at = min(now + LINK_VALID, signup.shift.starts_at)
        _mail_guardian(signup, email, token, consent.expires_at)
    db.session.flush()
    return consent


def _mail_guardian(signup: Signup, email: str, token: str, expires_at: datetime) -> None:
    opportunity = signup.shift.opportunity
    locale = (signup.user.locale if signup.user else None) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]
    with force_locale(locale):
        subject = str(SUBJECT) % {"title": opportunity.title}
    send_mail(
        email,
        subject,
        "volunteering/mail/guardian.txt",
        locale=locale,
        topic=f"volunteering-guardian:{signup.id}:{token[:8]}",
        signup=signup,
        shift=signup.shift,
        opportunity=opportunity,
        expires_at=expires_at,
        consent_url=url_for("volunteering.guardian_consent", token=token, _external=True),
    )


def consent_from_token(token: str) -> GuardianConsent | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(GuardianConsent).where(GuardianConsent.token_hash == hash_token(token))
    )


def link_problem(consent: GuardianConsent, now: datetime | None = None) -> str | None:
    """Why the link cannot be used any more (None: it can)."""
    now = now or utcnow()
    if consent.used_at is not None:
        return _("Ten link został już użyty: odpowiedź rodzica lub opiekuna jest zapisana.")
    if consent.expires_at is None or consent.expires_at <= now:
        return _(
            "Ten link wygasł. Osoba niepełnoletnia może w serwisie poprosić o nowy albo wydrukować formularz zgody."
        )
    if not consent.signup.is_active:
        return _("To zgłoszenie nie jest już aktywne.")
    return None


def answer(consent: GuardianConsent, *, consents: bool, now: datetime | None = None) -> None:
    """The guardian's answer through the link (used once)."""
    now = now or utcnow()
    problem = link_problem(consent, now)
    if problem:
        raise DomainError(problem, status=409)
    consent.used_at = now
    consent.decision = ConsentDecision.CONSENTED if consents else ConsentDecision.DECLINED
    if consents:
        _consented(consent.signup, now, actor=None, how="e-mail link")
    else:
        from app.volunteering.service.signups import cancel

        cancel(consent.signup.id, actor=None, reason="the guardian declined consent", now=now)
    db.session.flush()


def record_paper(signup: Signup, *, actor: User, now: datetime | None = None) -> None:
    """The organisation has the signed paper form."""
    now = now or utcnow()
    if signup.is_own(actor):
        raise DomainError(
            _("Nie możesz potwierdzić własnego zgłoszenia: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if not waiting_for_consent(signup) or not signup.is_active:
        raise DomainError(_("To zgłoszenie nie czeka na zgodę rodzica lub opiekuna."))
    consent = latest_consent(signup)
    if consent is None or consent.used_at is not None:
        consent = GuardianConsent(signup=signup, guardian_name=signup.guardian_name or "")
        db.session.add(consent)
    consent.used_at = now
    consent.decision = ConsentDecision.CONSENTED
    consent.paper_received_at = now
    consent.recorded_by_id = actor.id
    _consented(signup, now, actor=actor, how="paper form received")
    db.session.flush()


def _consented(signup: Signup, now: datetime, *, actor, how: str) -> None:
    from app.volunteering.service.signups import set_status

    signup.guardian_consent_at = now
    set_status(signup, signup.status, actor=actor, reason=f"guardian consented ({how})")
    if signup.user is not None:
        agreement = agreement_for(signup.shift.opportunity_id, signup.user_id)
        if agreement is not None and agreement.guardian_is_party:
            agreement.guardian_name = signup.guardian_name
            agreement.volunteer_accepted_at = now
            agreement.volunteer_accepted_version = agreement.template_version
    opportunity = signup.shift.opportunity
    if signup.status == SignupStatus.PENDING and not opportunity.requires_approval:
        signup.responded_at = now
        set_status(signup, SignupStatus.ACCEPTED, actor=actor, reason="accepted on consent")
        ensure_agreement(signup)
