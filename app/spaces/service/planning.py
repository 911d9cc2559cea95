"""A booking request before anything is written: its occurrences, the problems of each
(rules, and why a taken slot is taken: the buffer, the pieces left) and the competing requests.
``bookings.create_request`` records what this plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.extensions import db
from app.spaces.models import Booking, BookingStatus, Recurrence, Space, SpaceKind
from app.spaces.service.availability import (
    MAX_LOAN_DAYS,
    all_rooms,
    closures_for,
    conflict_reasons,
    conflicts_for,
    imported_busy,
    occurrence_days,
    rule_problems,
    slot_for,
    slot_holders,
    uses_school_weeks,
)


@dataclass
class BookingRequest:
    purpose: str
    people: int
    first_day: date
    start_time: time
    end_time: time
    recurrence: Recurrence = Recurrence.ONCE
    until: date | None = None
    count: int | None = None
    is_public: bool = False
    public_title: str = ""
    quantity: int = 1
    # Equipment over several days: returned this many days after each pick-up day.
    loan_days: int = 0
    # A round's allocation: bookable to the season's end, beyond the space's horizon.
    horizon_until: date | None = None


@dataclass
class PlannedOccurrence:
    starts_at: datetime
    ends_at: datetime
    problems: list[str] = field(default_factory=list)
    conflicts: list[Booking] = field(default_factory=list)
    competing: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflicts


def request_problems(space: Space, request: BookingRequest) -> list[str]:
    problems = []
    if request.loan_days < 0 or request.loan_days > MAX_LOAN_DAYS:
        problems.append(_("Dzień zwrotu jest poza dopuszczalnym zakresem."))
    elif request.loan_days and space.kind != SpaceKind.EQUIPMENT:
        problems.append(_("Na kilka dni można wypożyczyć tylko sprzęt."))
    elif (
        not request.loan_days
        and request.start_time >= request.end_time
        and request.end_time != time(0)
    ):
        problems.append(_("Godzina końca musi być późniejsza niż godzina początku."))
    if space.kind == SpaceKind.ROOM and space.capacity and request.people > space.capacity:
        problems.append(
            ngettext(
                "Sala mieści najwyżej %(num)d osobę.",
                "Sala mieści najwyżej %(num)d osób.",
                space.capacity,
            )
        )
    if space.kind == SpaceKind.EQUIPMENT and request.quantity > space.stock:
        problems.append(
            ngettext(
                "Dostępna jest najwyżej %(num)d sztuka.",
                "Dostępnych jest najwyżej %(num)d sztuk.",
                space.stock,
            )
        )
    if request.is_public and not request.public_title.strip():
        problems.append(_("Podaj tytuł publiczny wydarzenia otwartego."))
    return problems


def plan_request(
    space: Space,
    request: BookingRequest,
    *,
    now: datetime | None = None,
    check_notice: bool = True,
) -> list[PlannedOccurrence]:
    """Every occurrence of the request with its rule problems and conflicts (a preview).
    ``check_notice=False``: the provider's staff enter it themselves (a phone booking for
    tomorrow); the minimum notice gives the provider time to decide, which they have."""
    days = occurrence_days(
        request.recurrence,
        request.first_day,
        until=request.until,
        count=request.count,
        school_weeks=uses_school_weeks(space),
    )
    slots = [slot_for(day, request.start_time, request.end_time, request.loan_days) for day in days]
    if not slots:
        return []
    closures = closures_for(space, days[0], days[-1] + timedelta(days=request.loan_days))
    buffer = timedelta(minutes=space.buffer_minutes)
    holders = slot_holders(
        [space.id],
        slots[0][0] - timedelta(days=1),
        slots[-1][1] + buffer,
        rooms=all_rooms([space]),
    )[space.id]
    busy = imported_busy([space], slots[0][0], slots[-1][1] + buffer).get(space.id, [])
    from app.spaces.service.combined import sharing_spaces

    # Competing requests: this room's and those of rooms sharing a smallest space with it.
    pending = list(
        db.session.scalars(
            sa.select(Booking).where(
                Booking.space_id.in_(sharing_spaces([space.id])[space.id]),
                Booking.status == BookingStatus.PENDING,
                Booking.starts_at < slots[-1][1] + buffer,
                Booking.blocked_until > slots[0][0],
            )
        )
    )
    planned = []
    for starts_at, ends_at in slots:
        conflicts = conflicts_for(space, starts_at, ends_at, request.quantity, holders=holders)
        item = PlannedOccurrence(
            starts_at,
            ends_at,
            rule_problems(
                space,
                starts_at,
                ends_at,
                now=now,
                closures=closures,
                busy=busy,
                check_notice=check_notice,
                horizon_until=request.horizon_until,
            )
            + conflict_reasons(space, starts_at, ends_at, conflicts),
            conflicts,
        )
        item.competing = sum(
            1 for b in pending if b.starts_at < ends_at + buffer and starts_at < b.blocked_until
        )
        planned.append(item)
    return planned
