"""The providers' settings that define availability: a space's rules, terms and weekly hours,
and closures with the bookings they affect."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.spaces.models import (
    OPEN_STATUSES,
    Booking,
    BookingStatus,
    Closure,
    Space,
    SpaceKind,
    TermsKind,
)
from app.spaces.service.availability import closure_label
from app.timeutil import local_to_utc

# --- providers publish their availability ----------------------------------------------------


@dataclass
class SpaceSettings:
    capacity: int | None
    stock: int
    min_notice_hours: int
    max_length_minutes: int
    max_days_ahead: int
    buffer_minutes: int
    terms: TermsKind
    fee_normal: Decimal | None
    fee_ngo: Decimal | None
    barter_terms: str
    barter_hours_per_hour: Decimal | None
    auto_approve_verified: bool | None
    house_rules: str
    hours: list[tuple[time, time] | None]  # Monday..Sunday, None = closed
    max_loan_days: int = 0  # equipment only


def update_space(space: Space, settings: SpaceSettings) -> None:
    """Rules, terms and weekly hours of a space. A new buffer applies to new bookings; the
    ones already made keep the slot they were given."""
    from app.spaces.models import OpeningHours

    for name in (
        "capacity",
        "min_notice_hours",
        "max_length_minutes",
        "max_days_ahead",
        "buffer_minutes",
        "terms",
        "fee_normal",
        "fee_ngo",
        "barter_hours_per_hour",
        "auto_approve_verified",
    ):
        setattr(space, name, getattr(settings, name))
    space.stock = settings.stock if space.kind == SpaceKind.EQUIPMENT else 1
    space.max_loan_days = settings.max_loan_days if space.kind == SpaceKind.EQUIPMENT else 0
    space.barter_terms = settings.barter_terms.strip()
    space.house_rules = settings.house_rules.strip()
    space.opening_hours.clear()
    db.session.flush()
    for weekday, hours in enumerate(settings.hours):
        if hours:
            space.opening_hours.append(
                OpeningHours(weekday=weekday, opens=hours[0], closes=hours[1])
            )
    db.session.flush()


def add_closure(
    space: Space, *, starts_on: date, ends_on: date, reason, note: str, whole_provider: bool
) -> Closure:
    closure = Closure(
        space_id=None if whole_provider else space.id,
        provider_id=space.provider_id if whole_provider else None,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note.strip(),
    )
    db.session.add(closure)
    db.session.flush()
    return closure


def remove_closure(closure: Closure) -> None:
    db.session.delete(closure)
    db.session.flush()


def affected_by_closure(closure: Closure) -> list[Booking]:
    """Open bookings on closed days: the provider sees them to move or cancel with a reason."""
    first = local_to_utc(closure.starts_on, time(0))
    last = local_to_utc(closure.ends_on + timedelta(days=1), time(0))
    query = sa.select(Booking).where(
        Booking.status.in_(OPEN_STATUSES), Booking.starts_at < last, Booking.ends_at > first
    )
    if closure.space_id:
        query = query.where(Booking.space_id == closure.space_id)
    else:
        query = query.join(Space, Booking.space_id == Space.id).where(
            Space.provider_id == closure.provider_id
        )
    return list(db.session.scalars(query.order_by(Booking.starts_at)))


def notify_closure(closure: Closure) -> int:
    """Tell each organisation whose approved bookings fall in a new closure; the bookings stay
    as they are until the provider moves or cancels them. Returns how many are affected."""
    from app.spaces.service.notifications import notify_series

    approved = [b for b in affected_by_closure(closure) if b.status == BookingStatus.APPROVED]
    by_series: dict[int, list[Booking]] = defaultdict(list)
    for booking in approved:
        by_series[booking.series_id].append(booking)
    reason = _(
        "Zamknięte %(first)s – %(last)s: %(reason)s",
        first=closure.starts_on.strftime("%d.%m.%Y"),
        last=closure.ends_on.strftime("%d.%m.%Y"),
        reason=closure_label(closure),
    )
    for group in by_series.values():
        notify_series(group, "closure", reason)
    return len(approved)
