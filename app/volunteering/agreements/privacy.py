"""RODO hooks for agreements: the account download lists the volunteer's agreements; deleting
the account strips the volunteer from them (the organisation keeps an anonymous record of the
engagement, as it keeps anonymous hours)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.accounts.models import User
from app.db import utcnow
from app.extensions import db
from app.volunteering.agreements.models import (
    GuardianConsent,
    KeptSignup,
    Opinion,
    RegisterCheck,
)
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
    return {
        "gala_opt_in": bool(record and record.gala_opt_in),
        "badges_public": bool(record and record.badges_public),
    }


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


def _kept(agreement) -> bool:
    """Kept after erasure: concluded, or counted in a grant (a settlement document)."""
    from app.volunteering.grants.models import GrantAssignment

    if agreement.concluded:
        return True
    query = sa.select(GrantAssignment.id).where(GrantAssignment.agreement_id == agreement.id)
    return db.session.scalar(query.limit(1)) is not None


def _concluded_opportunities(user: User) -> set[int]:
    return {a.opportunity_id for a in agreements_of_user(user) if _kept(a)}


def _keep_hours(agreement) -> None:
    """The engagement's confirmed sign-ups stay with the agreement (``KeptSignup``) before the
    sign-ups lose the person: reports already given (grant settlements) keep their totals."""
    from app.volunteering.agreements.timesheets import confirmed_signups

    for signup in confirmed_signups(agreement):
        db.session.merge(KeptSignup(signup_id=signup.id, agreement_id=agreement.id))


def erase_agreements(user: User, now: datetime | None = None) -> None:
    """What the volunteer's erasure (RODO art. 17) does to the documents under the act.

    - A concluded agreement (both parties accepted), or one counted in a grant, is also the
      organisation's document: the
      basis of the volunteer's work, of insurance and of a grant settlement (wkład osobowy).
      It is unlinked from the account but keeps the names and text, with its time sheet and the
      guardian's consent (name and decision; the e-mail address and link go) and its confirmed
      sign-ups (``KeptSignup``: the hours, the sign-ups themselves anonymised), for
      ``AGREEMENT_RETENTION_YEARS`` full years after the engagement ended (art. 17 ust. 3
      lit. b and e RODO: the grant agreement's duty to keep settlement documents, and claims),
      then ``purge_kept_agreements`` anonymises it.
    - An agreement not concluded is deleted with its time sheet, and so are consents of
      sign-ups without a concluded agreement.
    - Register checks are deleted (the record is only of that person); opinions lose the name
      and the request's note; recognition (badges, gala opt-in) is deleted.
    """
    now = now or utcnow()
    kept = _concluded_opportunities(user)
    for consent in _consents_of(user):
        if consent.signup.shift.opportunity_id in kept:
            consent.guardian_email = None
            consent.token_hash = None
        else:
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
        if _kept(agreement):
            _keep_hours(agreement)
            agreement.user_id = None
        else:
            db.session.delete(agreement)
    db.session.flush()


def _retention_cutoff(now: datetime):
    """Engagements that ended before this day are past the retention period."""
    from datetime import date

    from flask import current_app

    from app.timeutil import to_local

    years = current_app.config["AGREEMENT_RETENTION_YEARS"]
    return date(to_local(now).year - years, 1, 1)


def purge_kept_agreements(now: datetime) -> int:
    """Retention: agreements kept after their volunteer's erasure lose the names, and their
    time sheets the descriptions, once ``AGREEMENT_RETENTION_YEARS`` full years have passed
    since the engagement ended; the guardians' consents of anonymous sign-ups of that age are
    deleted. The hours stay, anonymous. Returns how many agreements changed."""
    from app.volunteering.agreements.models import Agreement, TimesheetEntry
    from app.volunteering.models import Shift

    cutoff = _retention_cutoff(now)
    old = db.session.scalars(
        sa.select(Agreement).where(
            Agreement.user_id.is_(None),
            Agreement.anonymised_at.is_(None),
            Agreement.period_end < cutoff,
        )
    ).all()
    for agreement in old:
        agreement.volunteer_name = ""
        agreement.guardian_name = None
        agreement.anonymised_at = now
        db.session.execute(
            sa.update(TimesheetEntry)
            .where(TimesheetEntry.agreement_id == agreement.id)
            .values(description="", correction_note="")
            .execution_options(synchronize_session=False)
        )
    from app.timeutil import local_day_bounds

    old_signups = (
        sa.select(Signup.id)
        .join(Shift)
        .where(Signup.user_id.is_(None), Shift.ends_at < local_day_bounds(cutoff)[0])
    )
    db.session.execute(
        sa.delete(GuardianConsent)
        .where(GuardianConsent.signup_id.in_(old_signups))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return len(old)
