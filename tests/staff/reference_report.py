"""The programme report as it was computed before issue 14 made it aggregate SQL: in Python,
row by row, from ORM objects. Kept here (slow, but plainly right) as the reference the SQL is
compared with on generated data (tests/staff/test_report_at_scale.py)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEvent
from app.db import utcnow
from app.districts import district_name
from app.extensions import db
from app.organisations.models import Organisation
from app.organisations.spheres import sphere_label
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    BarterDelivery,
    Booking,
    BookingStatus,
    BookingStatusChange,
    Space,
    SpaceKind,
    TermsKind,
)
from app.spaces.service.availability import closures_by_space, opening_intervals
from app.spaces.vocab import district_label
from app.staff.service.report import Period, hours_of, share
from app.staff.service.report_spaces import (
    LATE_CANCELLATION,
    GroupRow,
    Reason,
    SpaceRow,
    SpacesReport,
    TermsShare,
)
from app.staff.service.report_volunteering import (
    HoursRow,
    MonthRow,
    ResponseRow,
    VolunteeringReport,
)
from app.timeutil import to_local
from app.volunteering.models import Opportunity, Shift, Signup, SignupEvent, SignupStatus
from app.volunteering.service.reports import UNANSWERED_AFTER, hourly_rate, value_of


def _open_seconds(space: Space, period: Period, closures) -> float:
    seconds = 0.0
    for day in period.days:
        if any(c.starts_on <= day <= c.ends_on for c in closures):
            continue
        for opens, closes in opening_intervals(space, day):
            seconds += (
                datetime.combine(day, closes) - datetime.combine(day, opens)
            ).total_seconds()
    return seconds


def _occurrences(period: Period) -> list[Booking]:
    first, after = period.bounds
    return list(
        db.session.scalars(
            sa.select(Booking)
            .options(
                selectinload(Booking.series),
                selectinload(Booking.space).selectinload(Space.provider),
            )
            .where(Booking.starts_at >= first, Booking.starts_at < after)
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def _late_cancellations(period: Period) -> int:
    """Cancelled occurrences whose cancellation came less than a day before the start (the
    arithmetic is done here: date arithmetic in SQL differs between SQLite and PostgreSQL)."""
    first, after = period.bounds
    rows = db.session.execute(
        sa.select(Booking.id, Booking.starts_at, BookingStatusChange.at)
        .join(BookingStatusChange, BookingStatusChange.booking_id == Booking.id)
        .where(
            Booking.starts_at >= first,
            Booking.starts_at < after,
            Booking.status == BookingStatus.CANCELLED,
            BookingStatusChange.to_status == BookingStatus.CANCELLED,
        )
    ).all()
    return len({b for b, starts_at, at in rows if at > starts_at - LATE_CANCELLATION})


def _barter_delivered(period: Period) -> Decimal:
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(BarterDelivery.hours), 0)).where(
            BarterDelivery.delivered_on >= period.start,
            BarterDelivery.delivered_on <= period.end,
            BarterDelivery.withdrawn_at.is_(None),
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _group(rows: dict[str, list[Booking]]) -> list[GroupRow]:
    result = [
        GroupRow(
            label=label,
            bookings=len(used),
            hours=hours_of(sum(b.duration.total_seconds() for b in used)),
            organisations=len({b.series.organisation_id for b in used} - {None}),
        )
        for label, used in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.hours, r.label))


def spaces_report(period: Period) -> SpacesReport:
    occurrences = _occurrences(period)
    used = [b for b in occurrences if b.status == BookingStatus.APPROVED]
    held = defaultdict(float)  # space id -> seconds holding the slot
    for b in occurrences:
        if b.status in SLOT_HOLDING_STATUSES:
            held[b.space_id] += b.duration.total_seconds()

    spaces = list(
        db.session.scalars(
            sa.select(Space)
            .options(selectinload(Space.provider), selectinload(Space.opening_hours))
            .order_by(Space.name, Space.id)
        )
    )
    closures = closures_by_space(spaces, period.start, period.end)
    by_space: dict[int, list[Booking]] = defaultdict(list)
    for b in used:
        by_space[b.space_id].append(b)
    rows, open_total, held_total = [], 0.0, 0.0
    for space in spaces:
        mine = by_space.get(space.id, [])
        if not mine and not held.get(space.id) and not space.active:
            continue
        open_seconds = (
            _open_seconds(space, period, closures[space.id])
            if space.kind == SpaceKind.ROOM
            else None
        )
        if open_seconds is not None:
            open_total += open_seconds
            held_total += held.get(space.id, 0.0)
        rows.append(
            SpaceRow(
                space=space.name,
                provider=space.provider.name,
                district=district_label(space.district),
                bookings=len(mine),
                hours=hours_of(sum(b.duration.total_seconds() for b in mine)),
                open_hours=hours_of(open_seconds) if open_seconds is not None else None,
                utilisation=share(held.get(space.id, 0.0), open_seconds)
                if open_seconds is not None
                else None,
                organisations=len({b.series.organisation_id for b in mine} - {None}),
                participants=sum(b.series.people for b in mine),
            )
        )
    rows.sort(key=lambda r: (-r.hours, r.provider, r.space))

    per_provider, per_district, per_terms = defaultdict(list), defaultdict(list), defaultdict(list)
    for b in used:
        per_provider[b.space.provider.name].append(b)
        per_district[district_label(b.space.district)].append(b)
        per_terms[b.space.terms].append(b)
    total_seconds = sum(b.duration.total_seconds() for b in used)
    terms = [
        TermsShare(
            terms=kind.value,
            bookings=len(per_terms[kind]),
            hours=hours_of(sum(b.duration.total_seconds() for b in per_terms[kind])),
            share=share(sum(b.duration.total_seconds() for b in per_terms[kind]), total_seconds),
        )
        for kind in TermsKind
    ]
    owed = sum(
        (
            Decimal(str(b.duration.total_seconds() / 3600)) * b.space.barter_hours_per_hour
            for b in per_terms[TermsKind.BARTER]
            if b.space.barter_hours_per_hour
        ),
        Decimal(0),
    )
    declined = [b for b in occurrences if b.status == BookingStatus.DECLINED]
    reasons = defaultdict(int)
    for b in declined:
        reasons[b.status_reason.strip()] += 1
    return SpacesReport(
        bookings=len(used),
        hours=hours_of(total_seconds),
        organisations_served=len({b.series.organisation_id for b in used} - {None}),
        participants=sum(b.series.people for b in used),
        utilisation=share(held_total, open_total),
        per_space=rows,
        per_provider=_group(per_provider),
        per_district=_group(per_district),
        terms=terms,
        barter_owed=owed.quantize(Decimal("0.01")),
        barter_delivered=_barter_delivered(period),
        no_shows=sum(1 for b in occurrences if b.status == BookingStatus.NO_SHOW),
        late_cancellations=_late_cancellations(period),
        declined=len(declined),
        decline_reasons=sorted(
            (Reason(reason, n) for reason, n in reasons.items()), key=lambda r: (-r.count, r.reason)
        ),
    )


def _person(signup: Signup) -> str:
    """One key per person: an account, a guest's address, or (anonymised) the sign-up itself."""
    if signup.user_id is not None:
        return f"user:{signup.user_id}"
    if signup.guest_email:
        return f"guest:{signup.guest_email.casefold()}"
    return f"signup:{signup.id}"


def _hours_rows(groups: dict[str, list[Signup]], label) -> list[HoursRow]:
    rows = [
        HoursRow(
            code=code,
            label=label(code),
            hours=sum((s.hours for s in signups), Decimal(0)).quantize(Decimal("0.01")),
            volunteers=len({_person(s) for s in signups}),
        )
        for code, signups in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.hours, r.label))


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _answer_times(rows, now: datetime) -> tuple[float | None, float | None, int]:
    """Median hours to an answer, the share answered, how many counted (unanswered after
    ``UNANSWERED_AFTER`` count against; withdrawn before an answer do not count)."""
    answered, unanswered = [], 0
    for since, responded, status in rows:
        if responded is not None:
            answered.append((responded - since).total_seconds() / 3600)
        elif status == SignupStatus.PENDING and now - since >= UNANSWERED_AFTER:
            unanswered += 1
    counted = len(answered) + unanswered
    median = round(statistics.median(answered), 1) if answered else None
    return median, share(len(answered), counted), counted


def _responses(period: Period, now: datetime):
    first, after = period.bounds
    rows = db.session.execute(
        sa.select(Organisation.name, Signup.pending_since, Signup.responded_at, Signup.status)
        .select_from(Signup)
        .join(Shift)
        .join(Opportunity)
        .join(Organisation)
        .where(Signup.pending_since >= first, Signup.pending_since < after)
    ).all()
    by_organisation = defaultdict(list)
    for name, *row in rows:
        by_organisation[name].append(row)
    per_organisation = []
    for name, items in by_organisation.items():
        median, answered_share, counted = _answer_times(items, now)
        if counted:
            per_organisation.append(ResponseRow(name, counted, median, answered_share))
    per_organisation.sort(key=lambda r: (-(r.median_hours or 0), r.organisation))
    return _answer_times([row for _, *row in rows], now), per_organisation


def volunteering_report(period: Period, *, now: datetime | None = None) -> VolunteeringReport:
    now = now or utcnow()
    first, after = period.bounds
    in_period = (Shift.starts_at >= first, Shift.starts_at < after)
    signups = list(
        db.session.scalars(
            sa.select(Signup)
            .join(Shift)
            .options(selectinload(Signup.shift).selectinload(Shift.opportunity))
            .where(*in_period)
            .order_by(Signup.id)
        )
    )
    confirmed = [s for s in signups if s.hours_confirmed_at is not None and s.hours and s.hours > 0]
    by_sphere, by_district, by_month = defaultdict(list), defaultdict(list), defaultdict(list)
    for s in confirmed:
        opportunity = s.shift.opportunity
        by_sphere[opportunity.sphere].append(s)
        by_district["online" if opportunity.is_online else opportunity.district or ""].append(s)
        by_month[to_local(s.shift.starts_at).date().replace(day=1)].append(s)
    hours = sum((s.hours for s in confirmed), Decimal(0)).quantize(Decimal("0.01"))
    rate = hourly_rate()
    (median, answered_share, counted), per_organisation = _responses(period, now)

    def place_label(code: str) -> str:
        from flask_babel import gettext as _

        if code == "online":
            return _("online")
        return district_name(code) if code else _("bez osiedla")

    return VolunteeringReport(
        opportunities_published=_count(
            sa.select(sa.func.count(Opportunity.id)).where(
                Opportunity.published_at >= first, Opportunity.published_at < after
            )
        ),
        applications=_count(
            sa.select(sa.func.count(Signup.id)).where(
                Signup.created_at >= first, Signup.created_at < after
            )
        ),
        acceptances=_count(
            sa.select(sa.func.count(sa.distinct(SignupEvent.signup_id))).where(
                SignupEvent.to_status == SignupStatus.ACCEPTED,
                SignupEvent.at >= first,
                SignupEvent.at < after,
            )
        ),
        hours=hours,
        volunteers=len({_person(s) for s in confirmed}),
        minors=len(
            {
                _person(s)
                for s in signups
                if s.guardian_consent_at is not None and s.status == SignupStatus.ACCEPTED
            }
        ),
        hours_by_sphere=_hours_rows(by_sphere, sphere_label),
        hours_by_district=_hours_rows(by_district, place_label),
        hours_by_month=[
            MonthRow(
                month=month,
                hours=sum((s.hours for s in by_month.get(month, [])), Decimal(0)).quantize(
                    Decimal("0.01")
                ),
                volunteers=len({_person(s) for s in by_month.get(month, [])}),
            )
            for month in period.months
        ],
        certificates=len(
            {
                (event.subject_user_id, event.organisation_id)
                for event in db.session.scalars(
                    sa.select(AuditEvent).where(
                        AuditEvent.action == "volunteering.certificate_issued",
                        AuditEvent.at >= first,
                        AuditEvent.at < after,
                    )
                )
            }
        ),
        rate=rate,
        value=sum(
            (value_of(s.hours, to_local(s.shift.starts_at).date(), rate) for s in confirmed),
            Decimal(0),
        ).quantize(Decimal("0.01")),
        median_response_hours=median,
        answered_share=answered_share,
        responses_counted=counted,
        responses_by_organisation=per_organisation,
    )
