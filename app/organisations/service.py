"""The NGO competence base as plain functions: profiles, members, facets, staff tasks."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import slugs
from app.db import utcnow, write_lock
from app.districts import DISTRICT_CODES
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import (
    Competence,
    Invitation,
    MemberRole,
    Membership,
    MembershipRequest,
    Offer,
    OfferKind,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
    RequestKind,
    RequestStatus,
    organisation_competences,
)
from app.organisations.search_index import KIND, index_organisation
from app.organisations.spheres import SPHERE_CODES
from app.search.service import compile_query, match_documents

if TYPE_CHECKING:
    from app.accounts.models import User

PAGE_SIZE = 20
INVITATION_MAX_AGE = timedelta(days=14)

PROFILE_FIELDS = (
    "name", "legal_form", "krs", "nip", "regon", "short_description", "description", "street",
    "postcode", "city", "email", "phone", "website", "social_links", "tags",
)  # fmt: skip


class OrganisationError(Exception):
    """A refused action; ``str(error)`` is the translated reason for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class KrsTaken(OrganisationError):
    def __init__(self, organisation: Organisation | None = None):
        super().__init__(_l("Organizacja z tym numerem KRS jest już w bazie."))
        self.organisation = organisation


def locked(function):
    """Run a service function as one write transaction (``write_lock``): SQLite takes its write
    lock up front, so concurrent requests queue instead of failing with "database is locked";
    commits on success, rolls back on any exception."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with write_lock(db.session()):
            return function(*args, **kwargs)

    return wrapper


# --- profiles ----------------------------------------------------------------------------------


def unique_slug(name: str) -> str:
    return slugs.unique_slug(Organisation, name, "organizacja")


def organisation_by_krs(krs: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.krs == krs))


@locked
def create_organisation(owner: User | None, **fields) -> Organisation:
    """Add an organisation (unverified); ``owner`` becomes its first owner."""
    organisation = Organisation(slug=unique_slug(fields["name"]))
    apply_profile(organisation, fields)
    if owner is not None:
        organisation.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
    db.session.add(organisation)
    try:
        db.session.flush()
    except IntegrityError as error:  # the unique index on KRS decides
        db.session.rollback()
        raise KrsTaken(organisation_by_krs(fields.get("krs") or "")) from error
    index_organisation(organisation)
    return organisation


def apply_profile(organisation: Organisation, fields: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            if name in {"krs", "nip", "regon"}:
                value = value or None
            elif isinstance(value, str):
                value = value.strip()
            setattr(organisation, name, value if value is not None else _default(name))
    if "areas" in fields:
        set_areas(organisation, fields["areas"])
    if "districts" in fields:
        set_districts(organisation, fields["districts"])
    if "competence_ids" in fields:
        organisation.competences = competences_by_ids(fields["competence_ids"])
    organisation.profile_updated_at = utcnow()


def _default(name: str):
    return None if name in {"krs", "nip", "regon"} else ""


def set_areas(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = [c for c in dict.fromkeys(codes) if c in SPHERE_CODES]
    keep = {a.code: a for a in organisation.areas}
    organisation.areas = [keep.get(c) or OrganisationArea(code=c) for c in wanted]


def set_districts(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = [c for c in dict.fromkeys(codes) if c in DISTRICT_CODES]
    keep = {d.code: d for d in organisation.districts}
    organisation.districts = [keep.get(c) or OrganisationDistrict(code=c) for c in wanted]


@locked
def update_profile(organisation: Organisation, **fields) -> None:
    """Save a member's changes to the profile, refresh "last updated" and the search index."""
    apply_profile(organisation, fields)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise KrsTaken(organisation_by_krs(fields.get("krs") or "")) from error
    index_organisation(organisation)


def touch(organisation: Organisation) -> None:
    organisation.profile_updated_at = utcnow()
    db.session.flush()
    index_organisation(organisation)


@locked
def save_project(organisation: Organisation, project: Project | None, **fields) -> Project:
    if project is None:
        project = Project()
        organisation.projects.append(project)
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    touch(organisation)
    return project


@locked
def delete_project(organisation: Organisation, project: Project) -> None:
    organisation.projects.remove(project)
    touch(organisation)


@locked
def save_offer(organisation: Organisation, offer: Offer | None, **fields) -> Offer:
    if offer is None:
        offer = Offer()
        organisation.offers.append(offer)
    for name, value in fields.items():
        setattr(offer, name, value.strip() if isinstance(value, str) else value)
    touch(organisation)
    return offer


@locked
def delete_offer(organisation: Organisation, offer: Offer) -> None:
    organisation.offers.remove(offer)
    touch(organisation)


@locked
def set_verified(organisation: Organisation, verified: bool) -> None:
    """City staff confirm that the organisation is who it says it is."""
    organisation.verified_at = (organisation.verified_at or utcnow()) if verified else None


# --- curated competences (city staff) ---------------------------------------------------------


class CompetenceTaken(OrganisationError):
    def __init__(self):
        super().__init__(_l("Taka kompetencja już jest na liście."))


def all_competences() -> list[Competence]:
    return list(db.session.scalars(sa.select(Competence).order_by(Competence.name)))


def competences_by_ids(ids: Iterable[int]) -> list[Competence]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Competence).where(Competence.id.in_(ids))))


def competence_by_name(name: str) -> Competence | None:
    return db.session.scalar(sa.select(Competence).where(Competence.name == name.strip()))


@locked
def save_competence(name: str, competence: Competence | None = None) -> Competence:
    if competence is None:
        competence = Competence()
        db.session.add(competence)
    competence.name = name.strip()
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise CompetenceTaken from error
    for organisation in organisations_with_competence(competence):
        index_organisation(organisation)
    return competence


def organisations_with_competence(competence: Competence) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(organisation_competences)
            .where(organisation_competences.c.competence_id == competence.id)
        )
    )


@locked
def delete_competence(competence: Competence) -> None:
    affected = organisations_with_competence(competence)
    for organisation in affected:
        organisation.competences.remove(competence)
    db.session.delete(competence)
    db.session.flush()
    for organisation in affected:
        index_organisation(organisation)


# --- members -----------------------------------------------------------------------------------


class AlreadyMember(OrganisationError):
    def __init__(self):
        super().__init__(_l("Ta osoba już należy do organizacji."))


class LastOwner(OrganisationError):
    def __init__(self):
        super().__init__(
            _l("Organizacja musi mieć co najmniej jednego właściciela. Najpierw dodaj innego.")
        )


class InvalidInvitation(OrganisationError):
    def __init__(self, message=None):
        super().__init__(
            message or _l("Zaproszenie jest nieprawidłowe, wygasło lub zostało użyte.")
        )


class AlreadyRequested(OrganisationError):
    def __init__(self):
        super().__init__(_l("Twoja prośba już czeka na decyzję."))


class AlreadyDecided(OrganisationError):
    def __init__(self):
        super().__init__(_l("Ta prośba została już rozpatrzona."))


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


def _normalise_email(email: str) -> str:
    return email.strip().lower()


@locked
def invite_member(
    organisation: Organisation, email: str, role: MemberRole, invited_by: User
) -> Invitation:
    """E-mail a link that makes the recipient a member once they accept it logged in."""
    from app.accounts.models import User  # accounts imports permissions, which imports us

    email = _normalise_email(email)
    existing = db.session.scalar(
        sa.select(Membership)
        .join(User)
        .where(Membership.organisation_id == organisation.id, User.email == email)
    )
    if existing is not None:
        raise AlreadyMember
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
    )
    db.session.add(invitation)
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


def invitation_by_token(token: str) -> Invitation:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token == token))
    if (
        invitation is None
        or invitation.accepted_at is not None
        or utcnow() - invitation.created_at > INVITATION_MAX_AGE
    ):
        raise InvalidInvitation
    return invitation


@locked
def accept_invitation(token: str, user: User) -> Membership:
    invitation = invitation_by_token(token)
    if _normalise_email(user.email) != invitation.email:
        raise InvalidInvitation(
            _l("To zaproszenie wysłano na inny adres e-mail. Zaloguj się na konto z tym adresem.")
        )
    # Only one acceptance wins: the update succeeds for exactly one request.
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvalidInvitation
    membership = _add_member(invitation.organisation, user, invitation.role)
    return membership


def _add_member(organisation: Organisation, user: User, role: MemberRole) -> Membership:
    existing = db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )
    if existing is not None:
        if role == MemberRole.OWNER:
            existing.role = role
        return existing
    membership = Membership(organisation=organisation, user=user, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


@locked
def remove_member(organisation: Organisation, membership: Membership) -> None:
    """Remove a member; the last owner cannot be removed (the profile would be orphaned)."""
    # Lock the owners' rows (PostgreSQL): two owners removing each other at once must not
    # leave the organisation with none. On SQLite the write lock already serialises this.
    owner_ids = db.session.scalars(
        sa.select(Membership.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == MemberRole.OWNER)
        .with_for_update()
    ).all()
    if membership.role == MemberRole.OWNER and not set(owner_ids) - {membership.id}:
        raise LastOwner
    db.session.delete(membership)


@locked
def request_membership(
    organisation: Organisation, user: User, message: str = ""
) -> MembershipRequest:
    """Ask to join (organisation with owners) or claim it (nobody manages it yet)."""
    from app.accounts.models import User  # accounts imports permissions, which imports us

    if db.session.scalar(
        sa.select(Membership.id).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    ):
        raise AlreadyMember
    kind = RequestKind.JOIN if owners(organisation) else RequestKind.CLAIM
    request = MembershipRequest(
        organisation=organisation, user=user, kind=kind, message=message.strip()
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError as error:  # the partial unique index: one pending request
        db.session.rollback()
        raise AlreadyRequested from error
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


@locked
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
        db.session.rollback()
        raise AlreadyDecided
    db.session.refresh(request)
    if approve:
        role = MemberRole.OWNER if request.kind == RequestKind.CLAIM else MemberRole.EDITOR
        _add_member(request.organisation, request.user, role)
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


# --- stale profiles ------------------------------------------------------------------------


def stale_organisations(now: datetime | None = None) -> list[Organisation]:
    from app.organisations.models import STALE_AFTER

    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.profile_updated_at < now - STALE_AFTER)
            .order_by(Organisation.id)
        )
    )


@locked
def notify_stale_owners(now: datetime | None = None) -> int:
    """E-mail the owners of profiles not updated for 12 months, once per stale period."""
    sent = 0
    for organisation in stale_organisations(now):
        notified = organisation.stale_notified_at
        if notified is not None and notified > organisation.profile_updated_at:
            continue
        for owner in owners(organisation):
            send_mail(
                owner.email,
                _l("Zaktualizuj profil organizacji %(name)s", name=organisation.name),
                "organisations/mail/stale_profile.txt",
                locale=owner.locale,
                topic=f"org-stale:{organisation.id}",
                organisation=organisation,
                link=url_for("organisations.edit", slug=organisation.slug, _external=True),
            )
            sent += 1
        organisation.stale_notified_at = now or utcnow()
    return sent


# --- the public list with facets --------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    areas: list[str] = field(default_factory=list)
    competences: list[int] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    verified: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def ints(values):
            return [int(v) for v in values if v.isdigit()]

        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(
            q=args.get("q", "").strip()[:200],
            areas=[v for v in args.getlist("area") if v in SPHERE_CODES],
            competences=ints(args.getlist("competence")),
            districts=[v for v in args.getlist("district") if v in DISTRICT_CODES],
            offers=[v for v in args.getlist("offer") if v in {k.value for k in OfferKind}],
            verified=args.get("verified") in {"1", "on", "true"},
            page=page,
        )

    @property
    def active(self) -> bool:
        return bool(
            self.q
            or self.areas
            or self.competences
            or self.districts
            or self.offers
            or self.verified
        )


@dataclass
class Listing:
    total: int
    organisations: list[Organisation]
    facets: dict[str, dict]
    page: int
    pages: int


def _conditions(filters: Filters, matched, skip: str | None = None) -> list:
    ids = Organisation.id
    conditions = []
    if matched is not None:
        conditions.append(ids.in_(sa.select(matched.c.ref_id)))
    if filters.areas and skip != "area":
        conditions.append(
            ids.in_(
                sa.select(OrganisationArea.organisation_id).where(
                    OrganisationArea.code.in_(filters.areas)
                )
            )
        )
    if filters.competences and skip != "competence":
        conditions.append(
            ids.in_(
                sa.select(organisation_competences.c.organisation_id).where(
                    organisation_competences.c.competence_id.in_(filters.competences)
                )
            )
        )
    if filters.districts and skip != "district":
        conditions.append(
            ids.in_(
                sa.select(OrganisationDistrict.organisation_id).where(
                    OrganisationDistrict.code.in_(filters.districts)
                )
            )
        )
    if filters.offers and skip != "offer":
        conditions.append(
            ids.in_(sa.select(Offer.organisation_id).where(Offer.kind.in_(filters.offers)))
        )
    if filters.verified and skip != "verified":
        conditions.append(Organisation.verified_at.is_not(None))
    return conditions


def _facet_counts(column, org_column, filters: Filters, matched, facet: str) -> dict:
    """Counts per value of one facet, under every other active filter (values within a facet
    are alternatives, so selecting one does not zero the others)."""
    scope = sa.select(Organisation.id).where(*_conditions(filters, matched, skip=facet))
    rows = db.session.execute(
        sa.select(column, sa.func.count(sa.distinct(org_column)))
        .where(org_column.in_(scope))
        .group_by(column)
    ).all()
    return dict(rows)


def list_organisations(filters: Filters, page_size: int = PAGE_SIZE) -> Listing:
    matched = ranked = None
    compiled = compile_query(filters.q) if filters.q else None
    if compiled is not None:
        # Counting and facets only need which organisations match; the page needs the score.
        matched = match_documents(compiled, [KIND], scored=False).subquery()
        ranked = match_documents(compiled, [KIND]).subquery()
    conditions = _conditions(filters, matched)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Organisation).where(*conditions)
    )
    # The page joins the ranked matches instead of filtering by them as well: SQLite plans the
    # redundant "id IN (matches)" next to the join very badly (seconds at 100k organisations).
    query = sa.select(Organisation).where(*_conditions(filters, None))
    if ranked is not None:
        query = query.join(ranked, ranked.c.ref_id == Organisation.id).order_by(
            ranked.c.score.desc(), Organisation.name, Organisation.id
        )
    else:
        query = query.order_by(Organisation.name, Organisation.id)
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    organisations = list(db.session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    facets = {
        "area": _facet_counts(
            OrganisationArea.code, OrganisationArea.organisation_id, filters, matched, "area"
        ),
        "competence": _facet_counts(
            organisation_competences.c.competence_id,
            organisation_competences.c.organisation_id,
            filters,
            matched,
            "competence",
        ),
        "district": _facet_counts(
            OrganisationDistrict.code,
            OrganisationDistrict.organisation_id,
            filters,
            matched,
            "district",
        ),
        "offer": {
            OfferKind(k).value: v
            for k, v in _facet_counts(
                Offer.kind, Offer.organisation_id, filters, matched, "offer"
            ).items()
        },
        "verified": {
            "1": db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Organisation)
                .where(
                    *_conditions(filters, matched, skip="verified"),
                    Organisation.verified_at.is_not(None),
                )
            )
        },
    }
    return Listing(total, organisations, facets, page, pages)
