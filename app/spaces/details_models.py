"""What a space's page says beyond the catalogue entry: photos, directions, contacts, access
instructions (shown only to those with a confirmed booking), accessibility detail, half-day and
day rates; and an organisation's request to use a fee room free of charge.

Kept beside ``models.py`` (not in it) so the tables of this topic live together; the ``Space``
row itself is unchanged and one ``SpaceDetails`` row (created on first edit) holds the rest.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_type, utcnow

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.spaces.models import BookingSeries, Space


class SpacePhoto(Base):
    """One photo of a space: a re-encoded JPEG and its thumbnail under the upload folder
    (``PHOTO_UPLOAD_FOLDER``), with the alt text a screen reader reads."""

    __tablename__ = "space_photos"
    __table_args__ = (
        sa.UniqueConstraint("space_id", "position"),
        sa.CheckConstraint("length(alt_text) > 0", name="alt_text_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    # Random, never the uploaded file's name: ``<token>.jpg`` and ``<token>-thumb.jpg``.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    alt_text: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    space: Mapped[Space] = relationship()

    @property
    def filename(self) -> str:
        return f"{self.token}.jpg"

    @property
    def thumb_filename(self) -> str:
        return f"{self.token}-thumb.jpg"


class SpaceDetails(TimestampMixin, Base):
    """Practical details of one space. ``access_instructions`` is private: only an
    organisation with a confirmed booking of the space, the provider's managers and staff see
    it (``app.spaces.service.details.can_see_access``); it is in no feed, open data or mail."""

    __tablename__ = "space_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), unique=True
    )
    directions: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    # Who answers on the day of the booking (a caretaker, the duty desk).
    day_contact: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # Key pick-up, caretaker, entrance, alarm: private (see the class docstring).
    access_instructions: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    accessible_entrance: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    door_width_cm: Mapped[int | None]
    accessible_toilet: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    accessibility_notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Fee rooms: block rates next to the hourly ones on ``Space`` (PLN; NULL = not offered).
    fee_normal_half_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    fee_ngo_half_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    fee_normal_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    fee_ngo_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))

    space: Mapped[Space] = relationship()

    @property
    def has_accessibility_detail(self) -> bool:
        return bool(
            self.accessible_entrance
            or self.door_width_cm
            or self.accessible_toilet
            or self.accessibility_notes
        )


class WaiverStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class FeeWaiver(Base):
    """An organisation asks to use a fee room free of charge, with a reason; the provider
    decides. One per series."""

    __tablename__ = "fee_waivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking_series.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(sa.String(1000))
    status: Mapped[WaiverStatus] = mapped_column(
        enum_type(WaiverStatus), default=WaiverStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[BookingSeries] = relationship()
    decided_by: Mapped[User | None] = relationship()
