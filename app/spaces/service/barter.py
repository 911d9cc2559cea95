"""Barter: hours of activities NGOs owe providers for the use of space, and what they delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Organisation
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingSeries,
    Provider,
    Space,
    TermsKind,
)
from app.spaces.service.notifications import organisation_recipients

# --- barter ----------------------------------------------------------------------------------


@dataclass
class BarterLedger:
    provider: Provider
    organisation: Organisation
    owed: Decimal
    upcoming: Decimal
    delivered: Decimal
    deliveries: list[BarterDelivery]
    bookings: list[Booking]

    @property
    def outstanding(self) -> Decimal:
        return max(self.owed - self.delivered, Decimal(0))

    @property
    def credit(self) -> Decimal:
        """Hours delivered beyond what is owed so far: they count towards later bookings."""
        return max(self.delivered - self.owed, Decimal(0))

    @property
    def spaces(self) -> list[Space]:
        """The barter spaces this pair booked, each with its ratio and terms text."""
        seen: dict[int, Space] = {}
        for booking in self.bookings:
            seen.setdefault(booking.space_id, booking.space)
        return list(seen.values())


def barter_ratio(space: Space) -> Decimal:
    """Hours of activities owed per hour of use (1 when the provider left it empty)."""
    return space.barter_hours_per_hour or Decimal(1)


def _barter_hours(booking: Booking) -> Decimal:
    ratio = barter_ratio(booking.space)
    hours = Decimal(int(booking.duration.total_seconds())) / Decimal(3600)
    return (hours * ratio).quantize(Decimal("0.01"))


def barter_ledger(provider: Provider, organisation: Organisation, *, now=None) -> BarterLedger:
    """Owed: barter occurrences that held a slot and have started; upcoming: approved future
    ones; delivered: what the provider recorded."""
    now = now or utcnow()
    bookings = list(
        db.session.scalars(
            sa.select(Booking)
            .join(BookingSeries)
            .join(Space, Booking.space_id == Space.id)
            .where(
                Space.provider_id == provider.id,
                Space.terms == TermsKind.BARTER,
                BookingSeries.organisation_id == organisation.id,
                Booking.status.in_(SLOT_HOLDING_STATUSES),
            )
            .order_by(Booking.starts_at)
        )
    )
    deliveries = list(
        db.session.scalars(
            sa.select(BarterDelivery)
            .where(
                BarterDelivery.provider_id == provider.id,
                BarterDelivery.organisation_id == organisation.id,
            )
            .order_by(BarterDelivery.delivered_on, BarterDelivery.id)
        )
    )
    owed = sum((_barter_hours(b) for b in bookings if b.starts_at <= now), Decimal(0))
    upcoming = sum((_barter_hours(b) for b in bookings if b.starts_at > now), Decimal(0))
    delivered = sum((d.hours for d in deliveries if d.withdrawn_at is None), Decimal(0))
    return BarterLedger(provider, organisation, owed, upcoming, delivered, deliveries, bookings)


def barter_partners(provider: Provider) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(BookingSeries.organisation_id)
                    .join(Space, BookingSeries.space_id == Space.id)
                    .where(Space.provider_id == provider.id, Space.terms == TermsKind.BARTER)
                )
            )
            .order_by(Organisation.name)
        )
    )


def record_delivery(
    provider: Provider,
    organisation: Organisation,
    actor,
    *,
    day: date,
    hours: Decimal,
    description: str,
) -> BarterDelivery:
    if hours <= 0:
        raise DomainError(_("Liczba godzin musi być dodatnia."), status=422, field="hours")
    delivery = BarterDelivery(
        provider_id=provider.id,
        organisation_id=organisation.id,
        delivered_on=day,
        hours=hours,
        description=description.strip(),
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(delivery)
    db.session.flush()
    ledger = barter_ledger(provider, organisation)
    for user in organisation_recipients(organisation.id):
        send_mail(
            user.email,
            _l("Barter: zapisano zrealizowane zajęcia"),
            "spaces/mail/barter.txt",
            locale=user.locale,
            topic=f"barter-delivery:{delivery.id}",
            delivery=delivery,
            ledger=ledger,
            url=_barter_url(provider, organisation),
        )
    return delivery


def withdraw_delivery(delivery: BarterDelivery, actor, reason: str) -> None:
    """Take a wrong entry out of the ledger (a double submit, wrong hours: withdraw it and
    record the right one); who, when and why stay on the entry."""
    if not reason.strip():
        raise DomainError(_("Podaj powód wycofania wpisu."), status=422, field="reason")
    if delivery.withdrawn_at is not None:
        raise DomainError(_("Ten wpis został już wycofany."))
    delivery.withdrawn_at = utcnow()
    delivery.withdrawn_by_id = actor.id
    delivery.withdrawn_reason = reason.strip()[:300]
    db.session.flush()


def _barter_url(provider: Provider, organisation: Organisation) -> str:
    return url_for(
        "spaces.barter",
        provider_slug=provider.slug,
        organisation_slug=organisation.slug,
        _external=True,
    )
