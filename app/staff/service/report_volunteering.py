"""The volunteering part of the programme report: offers, applications, confirmed hours and
their value (wkład osobowy), minors engaged, how quickly organisations answer.

Grouped queries only (per sphere, place, month, organisation; medians by window functions), so
the figures of a year of a whole city come back in milliseconds. People are counted once each:
an account, a guest's address (case-folded, as ever), or an anonymised sign-up on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.db import elapsed_micros, utcnow
from app.districts import district_name
from app.extensions import db
from app.organisations.models import Organisation
from app.organisations.spheres import sphere_label
from app.staff.service.report import Period, share
from app.timeutil import local_day_bounds
from app.volunteering.minimum_rate import MINIMUM_HOURLY_RATES
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
    # Certificates (art. 44) volunteers took in the period: one per volunteer and
    # organisation however often it was downloaded (each download is in the audit trail).
    certificates: int | None
    rate: Decimal | None  # None: the minimum hourly rate in force on each day of the work
    value: Decimal  # wkład osobowy: each day's hours × the rate
    median_response_hours: float | None
    answered_share: float | None
    responses_counted: int
    responses_by_organisation: list  # ResponseRow, slowest first


CENT = Decimal("0.01")


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _signups(period: Period, *conditions):
    """The period's sign-ups (by their shift's start) meeting ``conditions``, one row each with
    what the report groups by: sphere, place ("online", a district, ""), month (an index into
    ``period.months``), and who (``user_id``, ``guest`` address, ``anonymous``)."""
    first, after = period.bounds
    place = sa.case(
        (Opportunity.is_online, sa.literal("online")),
        else_=sa.func.coalesce(Opportunity.district, ""),
    )
    month_starts = [local_day_bounds(month)[0] for month in period.months[1:]]
    month = (
        sa.case(*((Shift.starts_at < bound, i) for i, bound in enumerate(month_starts)),
                else_=len(month_starts))
        if month_starts
        else sa.literal(0)
    )  # fmt: skip
    # Which minimum hourly rate was in force on the shift's (Warsaw) day: an index into
    # MINIMUM_HOURLY_RATES, -1 before it begins.
    rate_starts = [local_day_bounds(start)[0] for start, _rate, _source in MINIMUM_HOURLY_RATES]
    rate_period = sa.case(
        *((Shift.starts_at < bound, i - 1) for i, bound in enumerate(rate_starts)),
        else_=len(rate_starts) - 1,
    )
    is_guest = sa.and_(Signup.user_id.is_(None), Signup.guest_email != "")
    return (
        sa.select(
            Signup.hours,
            Opportunity.sphere.label("sphere"),
            place.label("place"),
            month.label("month"),
            rate_period.label("rate_period"),
            Signup.user_id,
            sa.case((is_guest, Signup.guest_email)).label("guest"),
            sa.case(
                (
                    sa.and_(
                        Signup.user_id.is_(None), sa.func.coalesce(Signup.guest_email, "") == ""
                    ),
                    1,
                )
            ).label("anonymous"),
        )
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Opportunity, Opportunity.id == Shift.opportunity_id)
        .where(Shift.starts_at >= first, Shift.starts_at < after, *conditions)
        .subquery()
    )


def _people(signups, *keys) -> dict[tuple, tuple[Decimal, int]]:
    """Per value of ``keys`` of ``_signups``: hours and distinct people. Grouped by the guest's
    address too, so addresses come back once each and are case-folded here."""
    rows = db.session.execute(
        sa.select(
            *(signups.c[k] for k in keys),
            signups.c.guest,
            sa.func.sum(signups.c.hours),
            sa.func.count(sa.distinct(signups.c.user_id)),
            sa.func.count(signups.c.anonymous),
        ).group_by(*(signups.c[k] for k in keys), signups.c.guest)
    )
    hours, people, guests = defaultdict(Decimal), defaultdict(int), defaultdict(set)
    for *key, guest, total, users, anonymous in rows:
        key = tuple(key)
        hours[key] += Decimal(total or 0)
        people[key] += users + anonymous
        if guest is not None:
            guests[key].add(guest.casefold())
    return {k: (hours[k].quantize(CENT), people[k] + len(guests[k])) for k in hours}


def _value(confirmed, rate: Decimal | None) -> Decimal:
    """Wkład osobowy: the hours at ``rate``, or each at the minimum rate of its day (hours are
    summed per period of one rate, so this stays one grouped query)."""
    total = Decimal(0)
    for (period,), (hours, _people_count) in _people(confirmed, "rate_period").items():
        in_force_from = MINIMUM_HOURLY_RATES[period][0] if period >= 0 else date.min
        total += value_of(hours, in_force_from, rate)
    return total.quantize(CENT)


def _hours_rows(figures: dict, label) -> list[HoursRow]:
    rows = [
        HoursRow(code=code, label=label(code), hours=hours, volunteers=volunteers)
        for (code,), (hours, volunteers) in figures.items()
    ]
    return sorted(rows, key=lambda r: (-r.hours, r.label))


@dataclass(frozen=True)
class ResponseRow:
    organisation: str
    counted: int
    median_hours: float | None
    answered_share: float | None


def _median_hours(answered: int, lower, upper) -> float | None:
    """``statistics.median`` of the answer times in hours, from the middle one or two (in
    microseconds), rounded as shown."""
    if not answered:
        return None

    def hours(micros: int) -> float:
        return micros / 10**6 / 3600

    median = hours(lower) if answered % 2 else (hours(lower) + hours(upper)) / 2
    return round(median, 1)


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
    """(median hours, answered share, counted) over all and per organisation (by name). Answers
    count with the time they took; unanswered after ``UNANSWERED_AFTER`` count against;
    withdrawn before an answer do not count."""
    first, after = period.bounds
    in_period = (Signup.pending_since >= first, Signup.pending_since < after)
    joined = (
        sa.select(Organisation.name.label("organisation"))
        .select_from(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Opportunity, Opportunity.id == Shift.opportunity_id)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(*in_period)
    )
    took = elapsed_micros(Signup.pending_since, Signup.responded_at)
    answered = (
        joined.add_columns(
            took.label("micros"),
            sa.func.row_number().over(partition_by=Organisation.name, order_by=took).label("rank"),
            sa.func.count().over(partition_by=Organisation.name).label("n"),
            sa.func.row_number().over(order_by=took).label("rank_all"),
            sa.func.count().over().label("n_all"),
        )
        .where(Signup.responded_at.is_not(None))
        .subquery()
    )

    def middle(rank, n):
        # The lower and upper middle ranks r of n: 2r in (n, n + 1) and 2r in (n + 1, n + 2).
        lower = sa.func.min(sa.case((sa.between(2 * rank, n, n + 1), answered.c.micros)))
        upper = sa.func.max(sa.case((sa.between(2 * rank, n + 1, n + 2), answered.c.micros)))
        return lower, upper

    a = answered.c
    per_org = {
        name: (n, _median_hours(n, lower, upper))
        for name, n, lower, upper in db.session.execute(
            sa.select(a.organisation, a.n, *middle(a.rank, a.n)).group_by(a.organisation, a.n)
        )
    }
    overall = db.session.execute(
        sa.select(sa.func.max(a.n_all), *middle(a.rank_all, a.n_all))
    ).one()
    unanswered = dict(
        db.session.execute(
            joined.add_columns(sa.func.count())
            .where(
                Signup.responded_at.is_(None),
                Signup.status == SignupStatus.PENDING,
                Signup.pending_since <= now - UNANSWERED_AFTER,
            )
            .group_by(Organisation.name)
        ).all()
    )
    per_organisation = []
    for name in per_org.keys() | unanswered.keys():
        n, median = per_org.get(name, (0, None))
        counted = n + unanswered.get(name, 0)
        per_organisation.append(ResponseRow(name, counted, median, share(n, counted)))
    per_organisation.sort(key=lambda r: (-(r.median_hours or 0), r.organisation))
    n_all = overall[0] or 0
    counted = n_all + sum(unanswered.values())
    return (
        (_median_hours(n_all, overall[1], overall[2]), share(n_all, counted), counted),
        per_organisation,
    )


def volunteering_report(period: Period, *, now: datetime | None = None) -> VolunteeringReport:
    now = now or utcnow()
    first, after = period.bounds
    confirmed = _signups(period, Signup.hours_confirmed_at.is_not(None), Signup.hours > 0)
    hours, volunteers = _people(confirmed).get((), (CENT * 0, 0))
    by_month = _people(confirmed, "month")
    minors = _people(
        _signups(period, Signup.guardian_consent_at.is_not(None),
                 Signup.status == SignupStatus.ACCEPTED)
    ).get((), (None, 0))[1]  # fmt: skip
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
        volunteers=volunteers,
        minors=minors,
        hours_by_sphere=_hours_rows(_people(confirmed, "sphere"), sphere_label),
        hours_by_district=_hours_rows(_people(confirmed, "place"), place_label),
        hours_by_month=[
            MonthRow(month=month, hours=figures[0], volunteers=figures[1])
            for i, month in enumerate(period.months)
            for figures in [by_month.get((i,), (CENT * 0, 0))]
        ],
        certificates=_certificates(first, after),
        rate=rate,
        value=_value(confirmed, rate),
        median_response_hours=median,
        answered_share=answered_share,
        responses_counted=counted,
        responses_by_organisation=per_organisation,
    )
