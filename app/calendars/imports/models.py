"""Calendar sources of providers and the busy intervals read from them.

A source belongs to a provider and applies either to one of its spaces or (``space_id`` NULL)
to all of them, including spaces added later. Its busy intervals are replaced as a whole after
each successful parse, so a broken download keeps the last good data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.spaces.models import Provider, Space


class CalendarSource(Base):
    __tablename__ = "calendar_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    # A secret (school calendars' links carry a private token): shown only masked.
    url: Mapped[str] = mapped_column(sa.String(2000))
    # Holiday feeds mark their days TRANSP:TRANSPARENT; a provider may want them to block.
    transparent_is_busy: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Conditional GET
    etag: Mapped[str | None] = mapped_column(sa.String(300))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    # Status for the provider
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_http_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(40))  # an error class, see fetch
    events_found: Mapped[int | None]
    failures: Mapped[int] = mapped_column(default=0, server_default="0")  # in a row
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)

    provider: Mapped[Provider] = relationship()
    space: Mapped[Space | None] = relationship()

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def is_failing(self) -> bool:
        return self.last_error is not None

    def __repr__(self) -> str:
        return f"<CalendarSource {self.id} {self.masked_url}>"


class ImportedBusy(Base):
    """One busy occurrence of an imported event: only its identity and its interval."""

    __tablename__ = "calendar_imported_busy"
    __table_args__ = (sa.Index("ix_calendar_imported_busy_source_time", "source_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("calendar_sources.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(sa.String(255))
    recurrence_id: Mapped[str | None] = mapped_column(sa.String(40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


def mask_url(url: str) -> str:
    """What others may see of a source's URL: its host, e.g. ``calendar.google.com/…``."""
    host = urlsplit(url).hostname or ""
    return f"{host}/…"


def _applies(spaces: Sequence[Space]):
    space_ids = [s.id for s in spaces]
    provider_ids = sorted({s.provider_id for s in spaces})
    return sa.or_(
        CalendarSource.space_id.in_(space_ids),
        sa.and_(CalendarSource.space_id.is_(None), CalendarSource.provider_id.in_(provider_ids)),
    )


def busy_by_space(
    spaces: Sequence[Space], first: datetime, last: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Imported busy intervals touching [first, last) for each space, in one query."""
    if not spaces:
        return {}
    rows = db.session.execute(
        sa.select(
            ImportedBusy.starts_at,
            ImportedBusy.ends_at,
            CalendarSource.space_id,
            CalendarSource.provider_id,
        )
        .join(CalendarSource, ImportedBusy.source_id == CalendarSource.id)
        .where(_applies(spaces), ImportedBusy.starts_at < last, ImportedBusy.ends_at > first)
        .order_by(ImportedBusy.starts_at)
    )
    own: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    providers: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for starts_at, ends_at, space_id, provider_id in rows:
        if space_id is None:
            providers[provider_id].append((starts_at, ends_at))
        else:
            own[space_id].append((starts_at, ends_at))
    by_space = {}
    for space in spaces:
        found = own.get(space.id, []) + providers.get(space.provider_id, [])
        if found:
            by_space[space.id] = found
    return by_space


def busy_exists(space_id_column, provider_id_column, starts_at: datetime, ends_at: datetime):
    """SQL: the space (correlated columns) has an imported busy interval overlapping the slot
    (for the matching's pre-filter; the buffer is checked afterwards in Python)."""
    return (
        sa.select(ImportedBusy.id)
        .join(CalendarSource, ImportedBusy.source_id == CalendarSource.id)
        .where(
            sa.or_(
                CalendarSource.space_id == space_id_column,
                sa.and_(
                    CalendarSource.space_id.is_(None),
                    CalendarSource.provider_id == provider_id_column,
                ),
            ),
            ImportedBusy.starts_at < ends_at,
            ImportedBusy.ends_at > starts_at,
        )
        .exists()
    )
