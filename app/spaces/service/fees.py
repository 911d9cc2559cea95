"""Fee rooms: what a booking costs, the provider's settlement of what was used, and an
organisation's request to use a room free of charge.

The rate: a verified organisation pays the NGO rate, any other the full rate (the provider cannot
know an unverified account is an NGO). Per occurrence the cheapest of the offered prices counts:
the hourly rate times the hours, the half-day price for up to ``HALF_DAY_HOURS`` hours, the day
price for a whole day. Equipment is priced per piece.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.spaces.details_models import FeeWaiver, SpaceDetails, WaiverStatus
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    Provider,
    Space,
    TermsKind,
)
from app.timeutil import local_day_bounds

HALF_DAY_HOURS = 4
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rates:
    hourly: Decimal | None
    half_day: Decimal | None
    day: Decimal | None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.hourly, self.half_day, self.day))


def details_of(space: Space) -> SpaceDetails | None:
    return db.session.scalar(sa.select(SpaceDetails).where(SpaceDetails.space_id == space.id))


def rates_for(space: Space, *, ngo: bool, details: SpaceDetails | None = None) -> Rates:
    details = details if details is not None else details_of(space)

    def pick(ngo_value, normal_value):
        return (ngo_value if ngo_value is not None else normal_value) if ngo else normal_value

    return Rates(
        hourly=pick(space.fee_ngo, space.fee_normal),
        half_day=pick(details.fee_ngo_half_day, details.fee_normal_half_day) if details else None,
        day=pick(details.fee_ngo_day, details.fee_normal_day) if details else None,
    )


def occurrence_cost(rates: Rates, duration: timedelta, quantity: int = 1) -> Decimal:
    hours = Decimal(duration.total_seconds()) / Decimal(3600)
    options = []
    if rates.hourly is not None:
        options.append(rates.hourly * hours)
    if rates.half_day is not None and hours <= HALF_DAY_HOURS:
        options.append(rates.half_day)
    if rates.day is not None:
        options.append(rates.day)
    if not options:
        return Decimal(0)
    return (min(options) * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Estimate:
    ngo_rate: bool
    rates: Rates
    occurrences: int = 0
    hours: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    waived: bool = False

    @property
    def rate_label(self) -> str:
        return _("stawka dla organizacji") if self.ngo_rate else _("stawka zwykła")


def is_fee_space(space: Space) -> bool:
    return space.terms == TermsKind.FEE


def estimate(space: Space, organisation, slots, *, quantity: int = 1) -> Estimate | None:
    """The cost of ``slots`` ((starts_at, ends_at) pairs) for ``organisation``; None when the
    space is not a fee room."""
    if not is_fee_space(space):
        return None
    ngo = bool(organisation is not None and organisation.is_verified)
    rates = rates_for(space, ngo=ngo)
    result = Estimate(ngo_rate=ngo, rates=rates)
    for starts_at, ends_at in slots:
        result.occurrences += 1
        result.hours += Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
        result.total += occurrence_cost(rates, ends_at - starts_at, quantity)
    result.hours = result.hours.quantize(CENT)
    return result


def series_estimate(series: BookingSeries) -> Estimate | None:
    """What the series costs for its occurrences that hold or wait for a slot."""
    from app.spaces.models import OPEN_STATUSES

    slots = [(b.starts_at, b.ends_at) for b in series.occurrences if b.status in OPEN_STATUSES]
    result = estimate(series.space, series.organisation, slots, quantity=series.quantity)
    if result is not None and waiver_of(series) is not None:
        result.waived = waiver_of(series).status == WaiverStatus.GRANTED
    return result


# --- free of charge --------------------------------------------------------------------------


def waiver_of(series: BookingSeries) -> FeeWaiver | None:
    return db.session.scalar(sa.select(FeeWaiver).where(FeeWaiver.series_id == series.id))


def request_waiver(series: BookingSeries, reason: str) -> FeeWaiver:
    reason = (reason or "").strip()
    if not is_fee_space(series.space):
        raise DomainError(_("Ta przestrzeń jest bezpłatna."), status=409)
    if not reason:
        raise DomainError(
            _("Napisz, dlaczego prosisz o bezpłatne udostępnienie."), status=422, field="reason"
        )
    waiver = waiver_of(series)
    if waiver is not None and waiver.status != WaiverStatus.REFUSED:
        raise DomainError(_("Prośba o bezpłatne udostępnienie już została wysłana."), status=409)
    if waiver is None:
        waiver = FeeWaiver(series_id=series.id, reason=reason[:1000])
        db.session.add(waiver)
    else:  # asked again after a refusal, with a new reason
        waiver.reason, waiver.status = reason[:1000], WaiverStatus.PENDING
        waiver.decided_by_id = waiver.decided_at = None
        waiver.decision_note = ""
    db.session.flush()
    return waiver


def decide_waiver(waiver: FeeWaiver, actor, *, grant: bool, note: str = "") -> None:
    # A conditional update: two managers deciding at once cannot both win.
    result = db.session.execute(
        sa.update(FeeWaiver)
        .where(FeeWaiver.id == waiver.id, FeeWaiver.status == WaiverStatus.PENDING)
        .values(
            status=WaiverStatus.GRANTED if grant else WaiverStatus.REFUSED,
            decided_by_id=actor.id,
            decided_at=utcnow(),
            decision_note=(note or "").strip()[:500],
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(_("O tej prośbie już zdecydowano."), status=409)
    db.session.refresh(waiver)


# --- settlement ------------------------------------------------------------------------------


@dataclass
class SettlementRow:
    organisation: object
    space: Space
    occurrences: int = 0
    hours: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    waived: Decimal = Decimal(0)
    ngo_rate: bool = False

    @property
    def due(self) -> Decimal:
        return self.total - self.waived


@dataclass
class Settlement:
    provider: Provider
    first_day: date
    last_day: date
    rows: list[SettlementRow] = field(default_factory=list)

    @property
    def total_due(self) -> Decimal:
        return sum((r.due for r in self.rows), Decimal(0))


def settlement(provider: Provider, first_day: date, last_day: date) -> Settlement:
    """What each organisation used of the provider's fee spaces between the two days
    (inclusive, Warsaw time): confirmed occurrences that have begun, no-shows included (the
    room was held), at the rate that applies to the organisation."""
    start, _ = local_day_bounds(first_day)
    _, end = local_day_bounds(last_day)
    bookings = db.session.scalars(
        sa.select(Booking)
        .join(Space, Booking.space_id == Space.id)
        .where(
            Space.provider_id == provider.id,
            Space.terms == TermsKind.FEE,
            Booking.status.in_(SLOT_HOLDING_STATUSES),
            Booking.starts_at >= start,
            Booking.starts_at < end,
            Booking.starts_at <= utcnow(),
        )
        .options(selectinload(Booking.series).selectinload(BookingSeries.organisation))
        .order_by(Booking.starts_at)
    ).all()
    rows: dict[tuple[int, int], SettlementRow] = {}
    rates_cache: dict[tuple[int, bool], Rates] = {}
    waived_series = (
        set(
            db.session.scalars(
                sa.select(FeeWaiver.series_id).where(
                    FeeWaiver.series_id.in_({b.series_id for b in bookings}),
                    FeeWaiver.status == WaiverStatus.GRANTED,
                )
            )
        )
        if bookings
        else set()
    )
    for booking in bookings:
        organisation = booking.series.organisation
        ngo = organisation.is_verified
        key = (organisation.id, booking.space_id)
        row = rows.setdefault(key, SettlementRow(organisation, booking.space, ngo_rate=ngo))
        rates = rates_cache.setdefault((booking.space_id, ngo), rates_for(booking.space, ngo=ngo))
        cost = occurrence_cost(rates, booking.duration, booking.quantity)
        row.occurrences += 1
        row.hours += (Decimal(booking.duration.total_seconds()) / Decimal(3600)).quantize(CENT)
        row.total += cost
        if booking.series_id in waived_series:
            row.waived += cost
    ordered = sorted(rows.values(), key=lambda r: (r.organisation.name, r.space.name))
    return Settlement(provider, first_day, last_day, ordered)


def invoice_address(organisation) -> str:
    parts = [organisation.street, f"{organisation.postcode} {organisation.city}".strip()]
    return ", ".join(p for p in parts if p)


def settlement_csv(result: Settlement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Organizacja"),
            _("Adres"),
            _("NIP"),
            _("Przestrzeń"),
            _("Terminy"),
            _("Godziny"),
            _("Stawka"),
            _("Kwota (zł)"),
            _("Zwolnione (zł)"),
            _("Do zapłaty (zł)"),
        ]
    )
    for row in result.rows:
        writer.writerow(
            [
                _csv_safe(row.organisation.name),
                _csv_safe(invoice_address(row.organisation)),
                row.organisation.nip or "",
                _csv_safe(row.space.name),
                row.occurrences,
                f"{row.hours:.2f}",
                _("dla organizacji") if row.ngo_rate else _("zwykła"),
                f"{row.total:.2f}",
                f"{row.waived:.2f}",
                f"{row.due:.2f}",
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """A name typed by a user never starts a spreadsheet formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def default_period(today: date) -> tuple[date, date]:
    """The previous calendar month."""
    first_this = today.replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return last_prev.replace(day=1), last_prev
