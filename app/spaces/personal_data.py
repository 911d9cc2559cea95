"""RODO for the spaces domain: what the account's data download shows (the booking requests the
person made, the decisions they took, the barter entries they recorded or withdrew, the
providers they manage), what deleting the account keeps anonymous ("osoba usunięta" in the
history and the barter ledger), and the retention purge of declined requests' free text."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.accounts.privacy import iso
from app.extensions import db
from app.organisations.models import Organisation
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Provider,
)


def _request(series: BookingSeries) -> dict:
    return {
        "organisation": series.holder_name,
        "provider": series.space.provider.name,
        "space": series.space.name,
        "purpose": series.purpose,
        "people": series.people,
        "recurrence": series.recurrence.value,
        "first_day": series.first_day.isoformat(),
        "until": series.until.isoformat() if series.until else None,
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "requested_at": iso(series.created_at),
        "occurrences": [
            {
                "starts_at": iso(b.starts_at),
                "ends_at": iso(b.ends_at),
                "status": b.status.value,
                "reason": b.status_reason,
            }
            for b in series.occurrences
        ],
    }


def _decision(change: BookingStatusChange) -> dict:
    booking = change.booking
    return {
        "at": iso(change.at),
        "organisation": booking.series.holder_name,
        "space": booking.space.name,
        "booking_starts_at": iso(booking.starts_at),
        "from": change.from_status.value if change.from_status else None,
        "to": change.to_status.value,
        "reason": change.reason,
    }


def _barter(delivery: BarterDelivery, user: User) -> dict:
    provider = db.session.get(Provider, delivery.provider_id)
    organisation = db.session.get(Organisation, delivery.organisation_id)
    return {
        "provider": provider.name,
        "organisation": organisation.name,
        "delivered_on": delivery.delivered_on.isoformat(),
        "hours": str(delivery.hours),
        "description": delivery.description,
        "recorded_at": iso(delivery.created_at),
        "recorded_by_you": delivery.recorded_by_id == user.id,
        "withdrawn_at": iso(delivery.withdrawn_at),
        "withdrawn_by_you": delivery.withdrawn_by_id == user.id,
        "withdrawn_reason": delivery.withdrawn_reason,
    }


def export_spaces(user: User) -> dict:
    requests = db.session.scalars(
        sa.select(BookingSeries)
        .where(BookingSeries.requested_by_id == user.id)
        .order_by(BookingSeries.id)
    )
    decisions = db.session.scalars(
        sa.select(BookingStatusChange)
        .where(BookingStatusChange.actor_id == user.id)
        .order_by(BookingStatusChange.id)
    )
    barter = db.session.scalars(
        sa.select(BarterDelivery)
        .where(
            sa.or_(
                BarterDelivery.recorded_by_id == user.id, BarterDelivery.withdrawn_by_id == user.id
            )
        )
        .order_by(BarterDelivery.id)
    )
    return {
        "provider_roles": [{"provider": p.provider.name} for p in user.provider_roles],
        "booking_requests": [_request(s) for s in requests],
        "booking_decisions": [_decision(c) for c in decisions],
        "barter_entries": [_barter(d, user) for d in barter],
    }


def erase_spaces_data(user: User) -> None:
    """The history and the ledger keep what happened, with "osoba usunięta" for the person
    (the foreign keys then go to NULL as the account is deleted)."""
    for model, column, flag in (
        (BookingStatusChange, BookingStatusChange.actor_id, "actor_deleted"),
        (BarterDelivery, BarterDelivery.recorded_by_id, "recorded_by_deleted"),
        (BarterDelivery, BarterDelivery.withdrawn_by_id, "withdrawn_by_deleted"),
    ):
        db.session.execute(
            sa.update(model)
            .where(column == user.id)
            .values({flag: True})
            .execution_options(synchronize_session=False)
        )


def purge_declined_requests(now: datetime) -> int:
    """A request every occurrence of which was declined: its free text (what for, the public
    title, the reasons) goes a while after the last decision; dates and statuses stay."""
    cutoff = now - timedelta(days=current_app.config["DECLINED_REQUEST_RETENTION_DAYS"])
    other = aliased(Booking)
    series_ids = list(
        db.session.scalars(
            sa.select(BookingSeries.id).where(
                BookingSeries.purpose != "",
                sa.select(Booking.id).where(Booking.series_id == BookingSeries.id).exists(),
                ~sa.select(other.id)
                .where(
                    other.series_id == BookingSeries.id,
                    sa.or_(other.status != BookingStatus.DECLINED, other.updated_at >= cutoff),
                )
                .exists(),
            )
        )
    )
    if not series_ids:
        return 0
    booking_ids = sa.select(Booking.id).where(Booking.series_id.in_(series_ids))
    db.session.execute(
        sa.update(BookingStatusChange)
        .where(BookingStatusChange.booking_id.in_(booking_ids))
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Booking)
        .where(Booking.series_id.in_(series_ids))
        .values(status_reason="", updated_at=Booking.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(BookingSeries)
        .where(BookingSeries.id.in_(series_ids))
        .values(purpose="", public_title="")
        .execution_options(synchronize_session=False)
    )
    return len(series_ids)
