"""What waits for city staff: requests, stale profiles, unanswered booking requests, providers
nobody manages. Each queue is a short list and its full count, for the staff home."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.extensions import db
from app.organisations.models import (
    STALE_AFTER,
    MembershipRequest,
    Organisation,
    RequestKind,
    RequestStatus,
)
from app.spaces.models import Booking, BookingSeries, BookingStatus, Provider, ProviderManager

# A booking request nobody answered for this many days shows in the staff queue.
DEFAULT_UNANSWERED_BOOKING_DAYS = 3
SHOWN = 10  # items listed per queue; the count says how many there are


@dataclass(frozen=True)
class Queue:
    items: list
    count: int


@dataclass(frozen=True)
class UnansweredBooking:
    series: BookingSeries
    pending: int  # future occurrences still waiting


@dataclass(frozen=True)
class Queues:
    verification: Queue  # organisations that asked for the badge
    claims: Queue
    joins: Queue
    stale: Queue
    unanswered_bookings: Queue
    providers_without_managers: Queue
    reports: Queue  # from users, about a page's content
    hidings: Queue  # content hidden by staff whose owner answered
    unanswered_days: int

    @property
    def total(self) -> int:
        return sum(
            q.count
            for q in (
                self.verification,
                self.claims,
                self.joins,
                self.stale,
                self.unanswered_bookings,
                self.providers_without_managers,
                self.reports,
                self.hidings,
            )
        )


def unanswered_days() -> int:
    return int(
        current_app.config.get("STAFF_UNANSWERED_BOOKING_DAYS", DEFAULT_UNANSWERED_BOOKING_DAYS)
    )


def _queue(query) -> Queue:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    return Queue(list(db.session.scalars(query.limit(SHOWN))), count or 0)


def _requests(kind: RequestKind) -> Queue:
    return _queue(
        sa.select(MembershipRequest)
        .options(selectinload(MembershipRequest.organisation), selectinload(MembershipRequest.user))
        .where(MembershipRequest.status == RequestStatus.PENDING, MembershipRequest.kind == kind)
        .order_by(MembershipRequest.created_at, MembershipRequest.id)
    )


def verification_queue() -> Queue:
    return _queue(
        sa.select(Organisation)
        .where(
            Organisation.verification_requested_at.is_not(None),
            Organisation.verified_at.is_(None),
        )
        .order_by(Organisation.verification_requested_at, Organisation.id)
    )


def stale_queue(now: datetime) -> Queue:
    return _queue(
        sa.select(Organisation)
        .where(Organisation.profile_updated_at < now - STALE_AFTER)
        .order_by(Organisation.profile_updated_at, Organisation.id)
    )


def unanswered_bookings(now: datetime, days: int) -> Queue:
    """Series asked for more than ``days`` ago with future occurrences still pending."""
    pending = (
        sa.select(Booking.series_id, sa.func.count(Booking.id).label("pending"))
        .where(Booking.status == BookingStatus.PENDING, Booking.ends_at > now)
        .group_by(Booking.series_id)
        .subquery()
    )
    query = (
        sa.select(BookingSeries, pending.c.pending)
        .join(pending, pending.c.series_id == BookingSeries.id)
        .options(
            selectinload(BookingSeries.space),
            selectinload(BookingSeries.organisation),
        )
        .where(BookingSeries.created_at < now - timedelta(days=days))
        .order_by(BookingSeries.created_at, BookingSeries.id)
    )
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(SHOWN)).all()
    return Queue([UnansweredBooking(series, n) for series, n in rows], count or 0)


def providers_without_managers() -> Queue:
    managed = sa.select(ProviderManager.provider_id)
    return _queue(sa.select(Provider).where(Provider.id.not_in(managed)).order_by(Provider.name))


def reports_queue() -> Queue:
    from app.moderation.models import ContentReport, ReportStatus

    return _queue(
        sa.select(ContentReport)
        .where(ContentReport.status == ReportStatus.OPEN)
        .order_by(ContentReport.created_at, ContentReport.id)
    )


def hidings_queue() -> Queue:
    from app.moderation.models import Hiding, HidingStatus

    return _queue(
        sa.select(Hiding)
        .where(Hiding.status == HidingStatus.ANSWERED)
        .order_by(Hiding.answered_at, Hiding.id)
    )


def queues(now: datetime | None = None) -> Queues:
    now = now or utcnow()
    days = unanswered_days()
    return Queues(
        verification=verification_queue(),
        claims=_requests(RequestKind.CLAIM),
        joins=_requests(RequestKind.JOIN),
        stale=stale_queue(now),
        unanswered_bookings=unanswered_bookings(now, days),
        providers_without_managers=providers_without_managers(),
        reports=reports_queue(),
        hidings=hidings_queue(),
        unanswered_days=days,
    )
