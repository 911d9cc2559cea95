from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_type

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.organisations.models import Organisation


class ProviderKind(enum.StrEnum):
    SCHOOL = "school"
    ACTIVITY_CENTRE = "activity_centre"  # CAL 2.Piętro
    CITY_UNIT = "city_unit"  # ZGM premises, TAK equipment, ...
    NGO = "ngo"


class Provider(TimestampMixin, Base):
    """Someone who lends spaces or equipment. The spaces issue adds spaces, hours and terms."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[ProviderKind] = mapped_column(enum_type(ProviderKind))
    # An NGO sharing its own premises is a provider backed by an organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    organisation: Mapped[Organisation | None] = relationship()
    managers: Mapped[list[ProviderManager]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Provider {self.id} {self.slug}>"


class ProviderManager(TimestampMixin, Base):
    __tablename__ = "provider_managers"
    __table_args__ = (sa.UniqueConstraint("provider_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    provider: Mapped[Provider] = relationship(back_populates="managers")
    user: Mapped[User] = relationship(back_populates="provider_roles")
