"""The yearly report on the cooperation programme (art. 5a of the act on public benefit
activity), the part this service records: the sector, the city's spaces, volunteering.

Pure functions of the data: ``programme_report(period)`` returns dataclasses and nothing else
(no request, no formatting), so the page, the CSV files and the tests read the same figures.
Rules of counting, stated once:

- an organisation is *in the base* when its profile was created before the period's end;
- a booking (occurrence) belongs to the period when it *starts* in it (Warsaw days);
- hours of use count approved occurrences; utilisation counts what held the slot (approved and
  no-shows) against the opening hours of rooms, closures left out;
- confirmed volunteer hours belong to the period of the shift's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.districts import district_name
from app.extensions import db
from app.organisations.models import (
    LEGAL_FORM_LABELS,
    LegalForm,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
)
from app.organisations.spheres import sphere_label
from app.timeutil import local_day_bounds


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """UTC instants: the start of the first Warsaw day, the start of the day after the end."""
        return local_day_bounds(self.start)[0], local_day_bounds(self.end)[1]

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class SectorReport:
    in_base: int
    new: int
    verified: int  # holding the badge at the period's end
    verified_in_period: int
    by_sphere: list[Count]
    by_district: list[Count]
    by_legal_form: list[Count]


@dataclass(frozen=True)
class ProgrammeReport:
    period: Period
    sector: SectorReport
    spaces: object  # report_spaces.SpacesReport
    volunteering: object  # report_volunteering.VolunteeringReport


def hours_of(seconds: float) -> Decimal:
    return (Decimal(round(seconds)) / Decimal(3600)).quantize(Decimal("0.01"))


def share(part, whole) -> float | None:
    return float(part) / float(whole) if whole else None


def _counts(rows, label) -> list[Count]:
    """``(code, count)`` rows as ``Count``s, most first, then by label."""
    items = [Count(code or "", label(code), count) for code, count in rows]
    return sorted(items, key=lambda c: (-c.count, c.label))


def sector_report(period: Period) -> SectorReport:
    first, after = period.bounds
    in_base = Organisation.created_at < after
    count = sa.func.count(Organisation.id)

    def scalar(*conditions) -> int:
        return db.session.scalar(sa.select(count).where(*conditions)) or 0

    def grouped(column, *joins):
        query = sa.select(column, sa.func.count(sa.distinct(Organisation.id))).select_from(
            Organisation
        )
        for join in joins:
            query = query.join(join)
        return db.session.execute(query.where(in_base).group_by(column)).all()

    legal_forms = db.session.execute(
        sa.select(Organisation.legal_form, count).where(in_base).group_by(Organisation.legal_form)
    ).all()
    return SectorReport(
        in_base=scalar(in_base),
        new=scalar(in_base, Organisation.created_at >= first),
        verified=scalar(in_base, Organisation.verified_at < after),
        verified_in_period=scalar(
            Organisation.verified_at >= first, Organisation.verified_at < after
        ),
        by_sphere=_counts(grouped(OrganisationArea.code, Organisation.areas), sphere_label),
        by_district=_counts(
            grouped(OrganisationDistrict.code, Organisation.districts), district_name
        ),
        by_legal_form=_counts(
            [(form.value, n) for form, n in legal_forms],
            lambda code: str(LEGAL_FORM_LABELS[LegalForm(code)]),
        ),
    )


def programme_report(period: Period, *, now: datetime | None = None) -> ProgrammeReport:
    from app.staff.service.report_spaces import spaces_report
    from app.staff.service.report_volunteering import volunteering_report

    return ProgrammeReport(
        period=period,
        sector=sector_report(period),
        spaces=spaces_report(period),
        volunteering=volunteering_report(period, now=now),
    )
