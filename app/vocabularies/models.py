"""Controlled vocabularies managed by city staff: districts, equipment and accessibility
features. Codes are stable identifiers stored by other tables; names have English and
Ukrainian versions (empty: the Polish one is shown)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, enum_type


class Vocabulary(enum.StrEnum):
    DISTRICT = "district"
    EQUIPMENT = "equipment"
    ACCESSIBILITY = "accessibility"


VOCABULARY_LABELS = {
    Vocabulary.DISTRICT: _l("Osiedla"),
    Vocabulary.EQUIPMENT: _l("Wyposażenie"),
    Vocabulary.ACCESSIBILITY: _l("Dostępność"),
}


class Term(TimestampMixin, Base):
    __tablename__ = "vocabulary_terms"
    __table_args__ = (sa.UniqueConstraint("vocabulary", "code"),)
    UNIQUE_CODE = "uq_vocabulary_terms_vocabulary_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[Vocabulary] = mapped_column(enum_type(Vocabulary))
    code: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    name_uk: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # Retired: no longer offered in forms and filters; what already uses it keeps its name.
    retired_at: Mapped[datetime | None]

    def label_in(self, locale: str) -> str:
        return {"en": self.name_en, "uk": self.name_uk}.get(locale, "") or self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<Term {self.vocabulary}:{self.code}>"


class DistrictNeighbour(Base):
    """Two districts that border each other (venue matching suggests rooms next door). The
    relation is symmetric, so each pair is one row with the lower term id first."""

    __tablename__ = "district_neighbours"
    __table_args__ = (sa.CheckConstraint("low_id < high_id", name="ordered_pair"),)

    low_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vocabulary_terms.id", ondelete="CASCADE"), primary_key=True
    )
    high_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vocabulary_terms.id", ondelete="CASCADE"), primary_key=True, index=True
    )
