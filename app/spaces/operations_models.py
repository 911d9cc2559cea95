"""Models of day-to-day operations (``service.operations``): the columns they add to providers,
series and occurrences (mixins of those models, so ``app/spaces/models.py`` stays readable) and
the bans on new requests after no-shows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class ProviderRules:
    # The provider's no-show rule (``service.operations``): ``no_show_limit`` no-shows of one
    # organisation within a year ban its new requests for ``no_show_ban_days``; NULL: no rule.
    no_show_limit: Mapped[int | None]
    no_show_ban_days: Mapped[int] = mapped_column(default=90, server_default="90")
    # Managers are reminded of requests pending longer than this; NULL: the global setting
    # ``SPACES_PENDING_REMINDER_DAYS``.
    pending_reminder_days: Mapped[int | None]


class SeriesEntry:
    # Entered by the provider's staff: for an organisation that asked by phone, e-mail or in
    # person (``on_behalf_via``; ``requested_by`` is the staff member), or a slot blocked for
    # the provider's own event (``own_use``, no organisation). Same rules, same constraint.
    on_behalf_via: Mapped[str | None] = mapped_column(sa.String(20))
    own_use: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # When the provider's managers were reminded that this request waits (once per series).
    pending_reminded_at: Mapped[datetime | None]

    @property
    def entered_by_provider(self) -> bool:
        return self.own_use or self.on_behalf_via is not None

    @property
    def holder_name(self) -> str:
        """Who holds the slot, for people: the organisation, or the provider's own event."""
        if self.organisation is not None:
            return self.organisation.name
        from flask_babel import gettext

        return gettext("Wydarzenie własne: %(provider)s", provider=self.space.provider.name)


class BookingReminder:
    # The reminder 48 h before (claimed by a conditional UPDATE, so it is sent once) and the
    # organisation's answer from its one-click link ("potwierdzam").
    reminder_sent_at: Mapped[datetime | None]
    attendance_confirmed_at: Mapped[datetime | None]


if TYPE_CHECKING:
    from app.organisations.models import Organisation
    from app.spaces.models import Provider


class SpaceBan(Base):
    """New requests of an organisation to a provider refused until ``ends_at`` (the provider's
    no-show rule, ``service.operations``). Lifted early by a manager: ``lifted_at``."""

    __tablename__ = "space_bans"
    __table_args__ = (sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    provider: Mapped[Provider] = relationship()
    organisation: Mapped[Organisation] = relationship()
