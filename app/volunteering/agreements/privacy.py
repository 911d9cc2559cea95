"""RODO hooks for agreements: the account download lists the volunteer's agreements; deleting
the account strips the volunteer from them (the organisation keeps an anonymous record of the
engagement, as it keeps anonymous hours)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db
from app.volunteering.agreements.models import GuardianConsent, Opinion, RegisterCheck
from app.volunteering.agreements.service import agreements_of_user
from app.volunteering.agreements.timesheets import entries_of
from app.volunteering.models import Signup


def _consents_of(user: User):
    return db.session.scalars(
        sa.select(GuardianConsent)
        .join(Signup, GuardianConsent.signup_id == Signup.id)
        .where(Signup.user_id == user.id)
        .order_by(GuardianConsent.id)
    ).all()


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_guardian_consents(user: User) -> list[dict]:
    return [
        {
            "signup_id": consent.signup_id,
            "guardian_name": consent.guardian_name,
            "guardian_email": consent.guardian_email,
            "asked_at": _iso(consent.created_at),
            "answered_at": _iso(consent.used_at),
            "decision": consent.decision.value if consent.decision else None,
            "paper_received_at": _iso(consent.paper_received_at),
        }
        for consent in _consents_of(user)
    ]


def export_register_checks(user: User) -> list[dict]:
    """Only that and when an organisation checked the register (never a result)."""
    checks = db.session.scalars(
        sa.select(RegisterCheck).where(RegisterCheck.user_id == user.id).order_by(RegisterCheck.id)
    )
    return [
        {"organisation_id": check.organisation_id, "checked_on": check.checked_on.isoformat()}
        for check in checks
    ]


def export_opinions(user: User) -> list[dict]:
    opinions = db.session.scalars(sa.select(Opinion).where(Opinion.user_id == user.id))
    return [
        {
            "organisation": opinion.organisation.name,
            "requested_at": _iso(opinion.requested_at),
            "written_at": _iso(opinion.written_at),
            "text": opinion.text,
        }
        for opinion in opinions
    ]


def export_recognition(user: User) -> dict:
    from app.volunteering.recognition import recognition_of

    record = recognition_of(user)
    return {"gala_opt_in": bool(record and record.gala_opt_in)}


def export_agreements(user: User) -> list[dict]:
    return [
        {
            "organisation": agreement.organisation.name,
            "opportunity": agreement.opportunity.title,
            "period": [agreement.period_start.isoformat(), agreement.period_end.isoformat()],
            "language": agreement.language,
            "text": agreement.sections,
            "template_version": agreement.template_version,
            "accepted_at": _iso(agreement.volunteer_accepted_at),
            "costs_waived": agreement.costs_waived,
            "guardian_name": agreement.guardian_name,
            "organisation_accepted_at": _iso(agreement.organisation_accepted_at),
            "written_signed_on": _iso(agreement.written_signed_on),
            "timesheet": [
                {
                    "day": entry.day.isoformat(),
                    "hours": str(entry.hours),
                    "description": entry.description,
                    "confirmed_hours": None
                    if entry.confirmed_hours is None
                    else str(entry.confirmed_hours),
                }
                for entry in entries_of(agreement)
            ],
        }
        for agreement in agreements_of_user(user)
    ]


def erase_agreements(user: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    for consent in _consents_of(user):
        db.session.delete(consent)
    db.session.execute(sa.delete(RegisterCheck).where(RegisterCheck.user_id == user.id))
    from app.volunteering.recognition import VolunteerRecognition

    db.session.execute(
        sa.delete(VolunteerRecognition).where(VolunteerRecognition.user_id == user.id)
    )
    for opinion in db.session.scalars(sa.select(Opinion).where(Opinion.user_id == user.id)):
        opinion.volunteer_name = ""
        opinion.request_note = ""
        opinion.user_id = None
    for agreement in agreements_of_user(user):
        agreement.volunteer_name = ""
        agreement.guardian_name = None
        agreement.user_id = None
        agreement.anonymised_at = now
