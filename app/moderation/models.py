"""A report of a page's content by a user or a guest, and what city staff did about it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, enum_type, utcnow


class ReportReason(enum.StrEnum):
    ILLEGAL = "illegal"
    PERSONAL_DATA = "personal_data"
    OFFENSIVE = "offensive"
    SPAM = "spam"
    WRONG = "wrong"
    OTHER = "other"


REASON_LABELS = {
    ReportReason.ILLEGAL: _l("treść niezgodna z prawem"),
    ReportReason.PERSONAL_DATA: _l("ujawnione dane osobowe"),
    ReportReason.OFFENSIVE: _l("treść obraźliwa"),
    ReportReason.SPAM: _l("spam lub oszustwo"),
    ReportReason.WRONG: _l("nieprawdziwe lub nieaktualne informacje"),
    ReportReason.OTHER: _l("inny powód"),
}


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    HANDLED = "handled"  # staff acted (e.g. asked the owner to correct it)
    DISMISSED = "dismissed"  # nothing wrong found


class ContentReport(Base):
    __tablename__ = "content_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500), index=True)  # the reported page
    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason))
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A guest may leave an address to hear the outcome; deleted once the report is closed.
    reporter_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus), default=ReportStatus.OPEN, index=True
    )
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    response: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])


class ContentKind(enum.StrEnum):
    OPPORTUNITY = "opportunity"
    ORGANISATION = "organisation"
    SPACE = "space"
    STORY = "story"


KIND_LABELS = {
    ContentKind.OPPORTUNITY: _l("oferta wolontariatu"),
    ContentKind.ORGANISATION: _l("profil organizacji"),
    ContentKind.SPACE: _l("przestrzeń"),
    ContentKind.STORY: _l("historia wolontariusza"),
}


class HidingStatus(enum.StrEnum):
    HIDDEN = "hidden"  # hidden; staff have the last word (or the owner has not answered)
    ANSWERED = "answered"  # the owner answered: back in the staff queue
    RESTORED = "restored"


class Hiding(Base):
    """City staff hid an opportunity, a profile or a space, with a reason its owner sees and
    can answer. The content's own ``hidden_at`` is what every public query filters on; this row
    is the case: reason, answer, decision."""

    __tablename__ = "moderation_hidings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ContentKind] = mapped_column(enum_type(ContentKind))
    content_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(300))  # the content's name when hidden
    reason: Mapped[str] = mapped_column(sa.String(1000))
    status: Mapped[HidingStatus] = mapped_column(
        enum_type(HidingStatus), default=HidingStatus.HIDDEN, index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_reports.id", ondelete="SET NULL")
    )
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    answered_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    decided_at: Mapped[datetime | None]

    report: Mapped[ContentReport | None] = relationship()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_open(self) -> bool:
        return self.status != HidingStatus.RESTORED
