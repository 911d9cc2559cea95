"""The volunteering part of the programme report: offers, applications, confirmed hours and
their value (wkład osobowy), minors engaged, how quickly organisations answer."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.districts import district_name
from app.extensions import db
from app.organisations.models import Organisation
from app.organisations.spheres import sphere_label
from app.staff.service.report import Period, share
from app.timeutil import to_local
from app.volunteering.models import (
    Opportunity,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
)
from app.volunteering.service.reports import UNANSWERED_AFTER, hourly_rate, value_of


@dataclass(frozen=True)
class HoursRow:
    code: str
    label: str
    hours: Decimal
    volunteers: int


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first day of the month
    hours: Decimal
    volunteers: int


@dataclass(frozen=True)
class VolunteeringReport:
    opportunities_published: int
    applications: int
    acceptances: int
    hours: Decimal  # confirmed by organisations
    volunteers: int  # distinct people with confirmed hours
    minors: int  # distinct under-18s (guardian's consent) accepted for a shift in the period
    hours_by_sphere: list[HoursRow]
    hours_by_district: list[HoursRow]
    hours_by_month: list[MonthRow]
    # Certificates (art. 44 ust. 2) volunteers took in the period: one per volunteer and
    # organisation however often it was downloaded (each download is in the audit trail).
    certificates: int | None
    rate: Decimal | None  # None: the minimum hourly rate in force on each day of the work
    value: Decimal  # wkład osobowy: each day's hours × the rate
    median_response_hours: float | None
    answered_share: float | None
    responses_counted: int
    responses_by_organisation: list  # ResponseRow, slowest first


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


@dataclass(frozen=True)
class ResponseRow:
    organisation: str
    counted: int
    median_hours: float | None
    answered_share: float | None


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


def _certificates(first: datetime, after: datetime) -> int:
    from app.audit.models import AuditEvent

    issued = (
        sa.select(AuditEvent.subject_user_id, AuditEvent.organisation_id)
        .where(
            AuditEvent.action == "volunteering.certificate_issued",
            AuditEvent.at >= first,
            AuditEvent.at < after,
        )
        .distinct()
        .subquery()
    )
    return _count(sa.select(sa.func.count()).select_from(issued))


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
        certificates=_certificates(first, after),
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
