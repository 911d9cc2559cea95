"""Organisation profiles: creating and editing them, their projects and offers, verification by
city staff, and the curated competence list.

Functions run inside the caller's unit of work and only flush. The search index follows every
write of a profile by itself (``follow_writes`` in app/organisations/search_index.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit, slugs
from app.db import utcnow
from app.districts import DISTRICT_CODES
from app.domain import CONFLICT_MESSAGE, DomainError, conflict_from
from app.extensions import db
from app.organisations.models import (
    Competence,
    MemberRole,
    Membership,
    Offer,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
    organisation_competences,
)
from app.organisations.spheres import SPHERE_CODES

if TYPE_CHECKING:
    from app.accounts.models import User

PROFILE_FIELDS = (
    "name", "legal_form", "krs", "nip", "regon", "short_description", "description", "street",
    "postcode", "city", "email", "phone", "website", "social_links", "tags",
)  # fmt: skip

COMPETENCE_TAKEN = _l("Taka kompetencja już jest na liście.")


class KrsTaken(DomainError):
    """The KRS number belongs to a profile already in the base (``organisation``, to link to)."""

    def __init__(self, organisation: Organisation | None = None):
        super().__init__(_l("Organizacja z tym numerem KRS jest już w bazie."), field="krs")
        self.organisation = organisation


def unique_slug(name: str) -> str:
    return slugs.unique_slug(Organisation, name, "organizacja")


def organisation_by_krs(krs: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.krs == krs))


class _SlugTaken(Exception):
    """A concurrent profile of the same name took the slug first (PostgreSQL)."""


@contextmanager
def _saved_in_savepoint(krs: str | None):
    """Make the changes of the block and flush them in a savepoint (``begin_nested`` flushes
    what is pending first, so the changes belong inside). The unique indexes decide: a KRS
    taken meanwhile becomes ``KrsTaken`` and the request goes on to show the form again."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if "uq_organisations_slug" in text or "organisations.slug" in text:
            raise _SlugTaken from error
        if "uq_organisations_krs" in text or "organisations.krs" in text:
            raise KrsTaken(organisation_by_krs(krs or "")) from error
        raise conflict_from(error) from error


UNCONFIRMED_OWNER = _l(
    "Potwierdź najpierw swój adres e-mail (link wysłaliśmy po rejestracji), a potem dodaj "
    "organizację."
)


def create_organisation(owner: User | None, **fields) -> Organisation:
    """Add an organisation (unverified); ``owner`` becomes its first owner. Two profiles of the
    same name created at once get "nazwa" and "nazwa-2": the loser picks the next free slug.
    Only a confirmed account may create one (an unconfirmed one could mail invitations from
    the city's address under any organisation's name)."""
    if owner is not None and owner.confirmed_at is None and not owner.is_staff:
        raise DomainError(UNCONFIRMED_OWNER, status=403, field="name")
    for _attempt in range(5):
        organisation = Organisation(slug=unique_slug(fields["name"]))
        try:
            with _saved_in_savepoint(fields.get("krs")):
                apply_profile(organisation, fields)
                if owner is not None:
                    organisation.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
                db.session.add(organisation)
        except _SlugTaken:
            continue
        return organisation
    raise DomainError(CONFLICT_MESSAGE)


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


def update_profile(organisation: Organisation, **fields) -> None:
    """Save a member's changes to the profile and refresh "last updated"."""
    with _saved_in_savepoint(fields.get("krs")):
        apply_profile(organisation, fields)


def touch(organisation: Organisation) -> None:
    organisation.profile_updated_at = utcnow()
    db.session.flush()


def _save_child(organisation: Organisation, collection: list, child, model, fields: dict):
    if child is None:
        child = model()
        collection.append(child)
    for name, value in fields.items():
        setattr(child, name, value.strip() if isinstance(value, str) else value)
    touch(organisation)
    return child


def save_project(organisation: Organisation, project: Project | None, **fields) -> Project:
    return _save_child(organisation, organisation.projects, project, Project, fields)


def delete_project(organisation: Organisation, project: Project) -> None:
    organisation.projects.remove(project)
    touch(organisation)


def save_offer(organisation: Organisation, offer: Offer | None, **fields) -> Offer:
    return _save_child(organisation, organisation.offers, offer, Offer, fields)


def delete_offer(organisation: Organisation, offer: Offer) -> None:
    organisation.offers.remove(offer)
    touch(organisation)


def set_verified(organisation: Organisation, verified: bool) -> None:
    """City staff confirm that the organisation is who it says it is."""
    was_verified = organisation.verified_at is not None
    organisation.verified_at = (organisation.verified_at or utcnow()) if verified else None
    db.session.flush()
    if verified != was_verified:
        audit.record(
            "organisation.verified" if verified else "organisation.unverified",
            organisation=organisation,
        )


# --- curated competences (city staff) ---------------------------------------------------------


def all_competences() -> list[Competence]:
    return list(db.session.scalars(sa.select(Competence).order_by(Competence.name)))


def competences_by_ids(ids: Iterable[int]) -> list[Competence]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Competence).where(Competence.id.in_(ids))))


def competence_by_name(name: str) -> Competence | None:
    return db.session.scalar(sa.select(Competence).where(Competence.name == name.strip()))


def save_competence(
    name: str,
    competence: Competence | None = None,
    *,
    name_en: str | None = None,
    name_uk: str | None = None,
) -> Competence:
    """Add a competence or rename one, with its English and Ukrainian names (None: keep them);
    the unique index on the Polish name refuses a duplicate."""
    try:
        with db.session.begin_nested():
            if competence is None:
                competence = Competence()
                db.session.add(competence)
            competence.name = name.strip()
            if name_en is not None:
                competence.name_en = name_en.strip()
            if name_uk is not None:
                competence.name_uk = name_uk.strip()
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(COMPETENCE_TAKEN, field="name") from error
    return competence


def organisations_with_competence(competence: Competence) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(organisation_competences)
            .where(organisation_competences.c.competence_id == competence.id)
        )
    )


def delete_competence(competence: Competence) -> None:
    for organisation in organisations_with_competence(competence):
        organisation.competences.remove(competence)
    db.session.delete(competence)
    db.session.flush()
