"""The NGO competence base: organisation profiles, their members, projects and offers."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_type, utcnow
from app.districts import district_name
from app.organisations.spheres import sphere_label

if TYPE_CHECKING:
    from app.accounts.models import User

# A profile nobody touched for this long is flagged to its owners as out of date.
STALE_AFTER = timedelta(days=365)


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    EDITOR = "editor"


MEMBER_ROLE_LABELS = {MemberRole.OWNER: _l("właściciel"), MemberRole.EDITOR: _l("redaktor")}


class LegalForm(enum.StrEnum):
    FOUNDATION = "foundation"
    ASSOCIATION = "association"
    ORDINARY_ASSOCIATION = "ordinary_association"
    SPORTS_CLUB = "sports_club"
    CHURCH_ENTITY = "church_entity"
    SOCIAL_COOPERATIVE = "social_cooperative"
    OTHER = "other"


LEGAL_FORM_LABELS = {
    LegalForm.FOUNDATION: _l("fundacja"),
    LegalForm.ASSOCIATION: _l("stowarzyszenie"),
    LegalForm.ORDINARY_ASSOCIATION: _l("stowarzyszenie zwykłe"),
    LegalForm.SPORTS_CLUB: _l("klub sportowy"),
    LegalForm.CHURCH_ENTITY: _l("kościelna osoba prawna"),
    LegalForm.SOCIAL_COOPERATIVE: _l("spółdzielnia socjalna"),
    LegalForm.OTHER: _l("inna forma"),
}


class OfferKind(enum.StrEnum):
    EXPERTISE = "expertise"
    SPACE = "space"
    EQUIPMENT = "equipment"
    SERVICE = "service"


OFFER_KIND_LABELS = {
    OfferKind.EXPERTISE: _l("wiedza i doradztwo"),
    OfferKind.SPACE: _l("lokal"),
    OfferKind.EQUIPMENT: _l("sprzęt"),
    OfferKind.SERVICE: _l("usługi (np. prawne, księgowe)"),
}


class Organisation(TimestampMixin, Base):
    """A non-governmental organisation (NGO) and its public profile."""

    __tablename__ = "organisations"
    __table_args__ = (
        # The list's order (name, then id) and the "verified" filter (migration 0020).
        sa.Index("ix_organisations_name_id", "name", "id"),
        sa.Index("ix_organisations_verified_at", "verified_at"),
        # The public volunteering calendar's validator (migration 0033).
        sa.Index("ix_organisations_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    krs: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    verified_at: Mapped[datetime | None]
    # Verification asked for by a member (the staff queue), and the reason of the last refusal
    # or revocation, which the members see (app/staff/service/verification.py).
    verification_requested_at: Mapped[datetime | None] = mapped_column(index=True)
    verification_message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    verification_refusal: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    legal_form: Mapped[LegalForm] = mapped_column(
        enum_type(LegalForm, length=30),
        default=LegalForm.ASSOCIATION,
        server_default=LegalForm.ASSOCIATION.value,
    )
    nip: Mapped[str | None] = mapped_column(sa.String(10))
    regon: Mapped[str | None] = mapped_column(sa.String(14))
    short_description: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    street: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(sa.String(6), default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="Toruń", server_default="Toruń")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # Social profiles, one URL per line (Facebook, Instagram, YouTube ...).
    social_links: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Free tags typed by the organisation, comma separated; the curated list is ``competences``.
    tags: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # When a member last changed the profile ("last updated" on the public page); staff actions
    # such as verification do not count.
    profile_updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    stale_notified_at: Mapped[datetime | None]
    # Hidden by city staff (app/moderation): out of every public list and page.
    hidden_at: Mapped[datetime | None] = mapped_column(index=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    areas: Mapped[list[OrganisationArea]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationArea.code"
    )
    districts: Mapped[list[OrganisationDistrict]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationDistrict.code"
    )
    competences: Mapped[list[Competence]] = relationship(
        secondary="organisation_competences", order_by="Competence.name"
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="(Project.year_start.desc(), Project.id)",
    )
    offers: Mapped[list[Offer]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Offer.id"
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def area_codes(self) -> list[str]:
        return [area.code for area in self.areas]

    @property
    def district_codes(self) -> list[str]:
        return [district.code for district in self.districts]

    @property
    def area_labels(self) -> list[str]:
        return [sphere_label(code) for code in self.area_codes]

    @property
    def district_names(self) -> list[str]:
        return [district_name(code) for code in self.district_codes]

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def social_link_list(self) -> list[str]:
        return [line.strip() for line in self.social_links.splitlines() if line.strip()]

    @property
    def legal_form_label(self) -> str:
        return str(LEGAL_FORM_LABELS[self.legal_form])

    def is_stale(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) - self.profile_updated_at > STALE_AFTER

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug}>"


class OrganisationArea(Base):
    """An area of public benefit (a code from ``app.organisations.spheres``)."""

    __tablename__ = "organisation_areas"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class OrganisationDistrict(Base):
    """A district of Toruń where the organisation works (``app.districts``)."""

    __tablename__ = "organisation_districts"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class Competence(TimestampMixin, Base):
    """An entry of the curated competence list kept by city staff (e.g. "księgowość").

    ``name`` (Polish) identifies it (imports, open data, search); staff may give the English and
    Ukrainian names shown on pages in those languages (empty: the Polish name is shown)."""

    __tablename__ = "competences"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    name_uk: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    def translated_name(self, language: str) -> str | None:
        """The name in ``language`` if staff gave one (Polish is ``name`` itself)."""
        if language == "pl":
            return self.name
        return {"en": self.name_en, "uk": self.name_uk}.get(language) or None

    def __repr__(self) -> str:
        return f"<Competence {self.id} {self.name}>"


organisation_competences = sa.Table(
    "organisation_competences",
    Base.metadata,
    sa.Column(
        "organisation_id",
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "competence_id",
        sa.ForeignKey("competences.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Project(TimestampMixin, Base):
    """A project the organisation runs or ran (e.g. funded by a city grant)."""

    __tablename__ = "organisation_projects"
    __table_args__ = (
        sa.CheckConstraint("year_end IS NULL OR year_end >= year_start", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    year_start: Mapped[int]
    year_end: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    funder: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    link: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="projects")

    @property
    def years(self) -> str:
        if self.year_end is None:
            return f"{self.year_start}–"
        if self.year_end == self.year_start:
            return str(self.year_start)
        return f"{self.year_start}–{self.year_end}"


class Offer(TimestampMixin, Base):
    """Something the organisation offers other organisations: expertise, space, equipment, services."""

    __tablename__ = "organisation_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OfferKind] = mapped_column(enum_type(OfferKind), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="offers")

    @property
    def kind_label(self) -> str:
        return str(OFFER_KIND_LABELS[self.kind])


class Membership(TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(
        enum_type(MemberRole),
        default=MemberRole.EDITOR,
    )

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")

    @property
    def role_label(self) -> str:
        return str(MEMBER_ROLE_LABELS[self.role])


class Invitation(TimestampMixin, Base):
    """An owner's invitation, sent by e-mail, for someone to become a member. One open
    invitation per organisation and address (inviting again resends it)."""

    __tablename__ = "organisation_invitations"
    __table_args__ = (
        sa.Index(
            "uq_organisation_invitations_open",
            "organisation_id",
            "email",
            unique=True,
            sqlite_where=sa.text("accepted_at IS NULL"),
            postgresql_where=sa.text("accepted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.EDITOR)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship()


class RequestKind(enum.StrEnum):
    JOIN = "join"  # become an editor of an organisation that has members
    CLAIM = "claim"  # become the owner of a profile (e.g. an imported one) nobody manages


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class MembershipRequest(TimestampMixin, Base):
    """A user asks to join an organisation or claims it; its owners or city staff decide."""

    __tablename__ = "membership_requests"
    __table_args__ = (
        # One open request per user and organisation; the database decides, not a prior lookup.
        sa.Index(
            "uq_membership_requests_pending",
            "organisation_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_type(RequestKind))
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus), default=RequestStatus.PENDING
    )
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
