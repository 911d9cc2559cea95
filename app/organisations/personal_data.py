"""RODO for the organisations domain: what the account's data download shows (memberships,
join and claim requests, the decisions the person took, invitations), what deleting the account
erases (open invitations to the address) and the retention purge (the free text of decided
requests). Other people's data is left out of the download (art. 15(4) RODO)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.accounts.privacy import iso
from app.extensions import db
from app.organisations.models import Invitation, MembershipRequest, RequestStatus


def export_organisations(user: User) -> dict:
    requests = db.session.scalars(
        sa.select(MembershipRequest)
        .where(MembershipRequest.user_id == user.id)
        .order_by(MembershipRequest.id)
    )
    decisions = db.session.scalars(
        sa.select(MembershipRequest)
        .where(MembershipRequest.decided_by_id == user.id)
        .order_by(MembershipRequest.id)
    )
    sent = db.session.scalars(
        sa.select(Invitation).where(Invitation.invited_by_id == user.id).order_by(Invitation.id)
    )
    received = db.session.scalars(
        sa.select(Invitation).where(Invitation.email == user.email).order_by(Invitation.id)
    )
    return {
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role.value} for m in user.memberships
        ],
        "membership_requests": [
            {
                "organisation": r.organisation.name,
                "kind": r.kind.value,
                "status": r.status.value,
                "message": r.message,
                "created_at": iso(r.created_at),
                "decided_at": iso(r.decided_at),
            }
            for r in requests
        ],
        "membership_decisions": [
            {
                "organisation": r.organisation.name,
                "kind": r.kind.value,
                "status": r.status.value,
                "decided_at": iso(r.decided_at),
            }
            for r in decisions
        ],
        "invitations_sent": [
            {
                "organisation": i.organisation.name,
                "role": i.role.value,
                "created_at": iso(i.created_at),
                "accepted_at": iso(i.accepted_at),
            }
            for i in sent
        ],
        "invitations_received": [
            {
                "organisation": i.organisation.name,
                "role": i.role.value,
                "created_at": iso(i.created_at),
                "accepted_at": iso(i.accepted_at),
            }
            for i in received
        ],
    }


def erase_organisations_data(user: User) -> None:
    """Open invitations to the person's address go (they hold nothing but the address); the
    cascade removes memberships and the person's own requests."""
    db.session.execute(
        sa.delete(Invitation)
        .where(Invitation.email == user.email, Invitation.accepted_at.is_(None))
        .execution_options(synchronize_session=False)
    )


def purge_decided_requests(now: datetime) -> int:
    """The free text of join and claim requests decided long ago (the decision stays)."""
    days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
    return db.session.execute(
        sa.update(MembershipRequest)
        .where(
            MembershipRequest.status != RequestStatus.PENDING,
            MembershipRequest.decided_at < now - timedelta(days=days),
            MembershipRequest.message != "",
        )
        .values(message="")
        .execution_options(synchronize_session=False)
    ).rowcount
