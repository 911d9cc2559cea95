"""Who works on a profile: members and their roles, invitations by e-mail, requests to join an
organisation or to claim a profile nobody manages, and the decisions on them.

Every function runs inside its caller's unit of work (the request, or a job's ``transaction()``)
and only flushes. The database guards what a prior lookup cannot: one membership per person
(unique index), one open invitation per address and one pending request per person (partial
unique indexes), one acceptance per invitation and one decision per request (conditional
``UPDATE``s).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app import audit
from app.calendars.service import organisation_scope, revoke_feed_tokens
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import (
    Invitation,
    MemberRole,
    Membership,
    MembershipRequest,
    Organisation,
    RequestKind,
    RequestStatus,
)

if TYPE_CHECKING:
    from app.accounts.models import User

INVITATION_MAX_AGE = timedelta(days=14)

ALREADY_MEMBER = _l("Ta osoba już należy do organizacji.")
LAST_OWNER = _l("Organizacja musi mieć co najmniej jednego właściciela. Najpierw dodaj innego.")
INVALID_INVITATION = _l("Zaproszenie jest nieprawidłowe, wygasło lub zostało użyte.")
INVITATION_FOR_ANOTHER_ADDRESS = _l(
    "To zaproszenie wysłano na inny adres e-mail. Zaloguj się na konto z tym adresem."
)
ALREADY_REQUESTED = _l("Twoja prośba już czeka na decyzję.")
ALREADY_DECIDED = _l("Ta prośba została już rozpatrzona.")


def members(organisation: Organisation) -> list[Membership]:
    from app.accounts.models import User  # lazily: accounts imports permissions, which imports us

    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User)
            .where(Membership.organisation_id == organisation.id)
            .order_by(Membership.role.desc(), User.name)
        )
    )


def owners(organisation: Organisation) -> list[User]:
    return [m.user for m in members(organisation) if m.role == MemberRole.OWNER]


def membership_by_id(organisation: Organisation, membership_id: int) -> Membership | None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        return None
    return membership


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _open_invitation(organisation: Organisation, email: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.organisation_id == organisation.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    )


def _expired(invitation: Invitation) -> bool:
    return utcnow() - invitation.created_at > INVITATION_MAX_AGE


UNCONFIRMED_INVITER = _l(
    "Potwierdź najpierw swój adres e-mail (link wysłaliśmy po rejestracji), a potem zapraszaj."
)


def invite_member(
    organisation: Organisation, email: str, role: MemberRole, invited_by: User
) -> Invitation:
    """E-mail a link that makes the recipient a member once they accept it logged in.

    One open invitation per address (a partial unique index): inviting again resends it (an
    expired one with a new link); of two invitations made at once, the second sends nothing."""
    from app.accounts.models import User  # accounts imports permissions, which imports us

    if invited_by.confirmed_at is None and not invited_by.is_staff:
        raise DomainError(UNCONFIRMED_INVITER, status=403, field="email")
    email = _normalise_email(email)
    existing = db.session.scalar(
        sa.select(Membership.id)
        .join(User)
        .where(Membership.organisation_id == organisation.id, User.email == email)
    )
    if existing is not None:
        raise DomainError(ALREADY_MEMBER, field="email")
    invitation = _open_invitation(organisation, email)
    if invitation is None:
        invitation = Invitation(
            organisation=organisation,
            email=email,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=invited_by,
        )
        try:
            with db.session.begin_nested():
                db.session.add(invitation)
                db.session.flush()
        except IntegrityError:
            invitation = _open_invitation(organisation, email)
            if invitation is None:
                raise
            return invitation  # a concurrent request invited this address and sends the mail
    else:
        if _expired(invitation):
            invitation.token = secrets.token_urlsafe(32)
            invitation.created_at = utcnow()
        invitation.role = role
        invitation.invited_by = invited_by
        db.session.flush()
    recipient = db.session.scalar(sa.select(User).where(User.email == email))
    send_mail(
        email,
        _l("Zaproszenie do organizacji %(name)s", name=organisation.name),
        "organisations/mail/invitation.txt",
        locale=recipient.locale if recipient else None,
        topic=f"org-invitation:{organisation.id}",
        organisation=organisation,
        invited_by=invited_by,
        link=url_for("organisations.invitation", token=invitation.token, _external=True),
    )
    return invitation


def open_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations sent and not yet accepted (expired ones included: they can be withdrawn)."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def withdraw_invitation(organisation: Organisation, invitation_id: int) -> Invitation:
    """An owner takes an invitation back: its link stops working at once."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.organisation_id == organisation.id,
            Invitation.accepted_at.is_(None),
        )
    )
    if invitation is None:
        raise DomainError(INVALID_INVITATION, status=404)
    audit.record(
        "membership.invitation_withdrawn", organisation=organisation, details=invitation.email
    )
    db.session.delete(invitation)
    db.session.flush()
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """The open invitation of ``token``; refused (404) when unknown, used or expired."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token == token))
    if invitation is None or invitation.accepted_at is not None or _expired(invitation):
        raise DomainError(INVALID_INVITATION, status=404)
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    invitation = invitation_by_token(token)
    if _normalise_email(user.email) != invitation.email:
        raise DomainError(INVITATION_FOR_ANOTHER_ADDRESS, status=403)
    # Only one acceptance wins: the update succeeds for exactly one request.
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise DomainError(INVALID_INVITATION, status=404)
    return add_member(invitation.organisation, user, invitation.role)


def _membership_of(organisation: Organisation, user: User) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )


def add_member(organisation: Organisation, user: User, role: MemberRole) -> Membership:
    """Make ``user`` a member (an existing member is promoted when ``role`` is owner)."""
    membership = _membership_of(organisation, user)
    if membership is None:
        # By ids, not relationships: a refused insert must not linger in a loaded collection.
        membership = Membership(organisation_id=organisation.id, user_id=user.id, role=role)
        try:
            # The unique index on (organisation, user) decides between concurrent additions.
            with db.session.begin_nested():
                db.session.add(membership)
                db.session.flush()
            audit.record(
                "membership.added", subject_user=user, organisation=organisation, details=role
            )
            return membership
        except IntegrityError:
            membership = _membership_of(organisation, user)
            if membership is None:
                raise
    if role == MemberRole.OWNER and membership.role != role:
        membership.role = role
        db.session.flush()
        audit.record("membership.role", subject_user=user, organisation=organisation, details=role)
    return membership


def remove_member(organisation: Organisation, membership: Membership) -> None:
    """Remove a member; the last owner cannot be removed (the profile would be orphaned)."""
    # Lock the owners' rows (PostgreSQL): two owners removing each other at once must not
    # leave the organisation with none. On SQLite the request's write lock serialises this.
    owner_ids = db.session.scalars(
        sa.select(Membership.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == MemberRole.OWNER)
        .with_for_update()
    ).all()
    if membership.role == MemberRole.OWNER and not set(owner_ids) - {membership.id}:
        raise DomainError(LAST_OWNER)
    # Their private calendar link to this organisation's bookings ends with the membership.
    revoke_feed_tokens(membership.user_id, organisation_scope(organisation.id))
    leaving = has_request_context() and current_user.is_authenticated
    leaving = leaving and current_user.id == membership.user_id
    audit.record(
        "membership.left" if leaving else "membership.removed",
        subject_user=membership.user_id,
        organisation=organisation,
        details=membership.role,
    )
    db.session.delete(membership)
    db.session.flush()


def request_membership(
    organisation: Organisation, user: User, message: str = ""
) -> MembershipRequest:
    """Ask to join (organisation with owners) or claim it (nobody manages it yet)."""
    from app.accounts.models import User  # accounts imports permissions, which imports us

    if _membership_of(organisation, user) is not None:
        raise DomainError(ALREADY_MEMBER)
    kind = RequestKind.JOIN if owners(organisation) else RequestKind.CLAIM
    request = MembershipRequest(
        organisation=organisation, user=user, kind=kind, message=message.strip()
    )
    try:
        with db.session.begin_nested():  # the partial unique index: one pending request
            db.session.add(request)
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(ALREADY_REQUESTED) from error
    if kind == RequestKind.JOIN:
        recipients = owners(organisation)
    else:
        recipients = list(db.session.scalars(sa.select(User).where(User.is_staff.is_(True))))
    for recipient in recipients:
        send_mail(
            recipient.email,
            _l("Prośba o dołączenie do organizacji %(name)s", name=organisation.name),
            "organisations/mail/membership_request.txt",
            locale=recipient.locale,
            topic=f"org-request:{request.id}",
            organisation=organisation,
            request=request,
            link=url_for("organisations.members", slug=organisation.slug, _external=True)
            if kind == RequestKind.JOIN
            else url_for("organisations.requests", _external=True),
        )
    return request


def pending_request_of(organisation: Organisation, user: User) -> MembershipRequest | None:
    return db.session.scalar(
        sa.select(MembershipRequest).where(
            MembershipRequest.organisation_id == organisation.id,
            MembershipRequest.user_id == user.id,
            MembershipRequest.status == RequestStatus.PENDING,
        )
    )


def pending_requests(organisation: Organisation | None = None, kind: RequestKind | None = None):
    statement = (
        sa.select(MembershipRequest)
        .where(MembershipRequest.status == RequestStatus.PENDING)
        .order_by(MembershipRequest.created_at)
    )
    if organisation is not None:
        statement = statement.where(MembershipRequest.organisation_id == organisation.id)
    if kind is not None:
        statement = statement.where(MembershipRequest.kind == kind)
    return list(db.session.scalars(statement))


def decide_request(request: MembershipRequest, approve: bool, decided_by: User) -> None:
    status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    # A conditional update: two people deciding at once cannot both win.
    result = db.session.execute(
        sa.update(MembershipRequest)
        .where(
            MembershipRequest.id == request.id,
            MembershipRequest.status == RequestStatus.PENDING,
        )
        .values(status=status, decided_at=utcnow(), decided_by_id=decided_by.id)
    )
    if result.rowcount != 1:
        raise DomainError(ALREADY_DECIDED)
    db.session.refresh(request)
    audit.record(
        "membership.request_decided",
        actor=decided_by,
        subject_user=request.user_id,
        organisation=request.organisation_id,
        details=f"{request.kind}: {status}",
    )
    if approve:
        role = MemberRole.OWNER if request.kind == RequestKind.CLAIM else MemberRole.EDITOR
        add_member(request.organisation, request.user, role)
    send_mail(
        request.user.email,
        _l("Decyzja w sprawie organizacji %(name)s", name=request.organisation.name),
        "organisations/mail/request_decided.txt",
        locale=request.user.locale,
        topic=f"org-request-decided:{request.id}",
        organisation=request.organisation,
        approved=approve,
        link=url_for("organisations.profile", slug=request.organisation.slug, _external=True),
    )
