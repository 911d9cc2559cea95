"""Recognition: milestones of confirmed hours (10 / 50 / 100), shown to the volunteer as badges
(and, if the volunteer opts in, to the organisations they apply to, on their applicants' list),
and the yearly list for the city's volunteer gala - only of volunteers who opted in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import User
from app.db import Base, utcnow
from app.extensions import db
from app.timeutil import local_day_bounds
from app.volunteering.agreements.models import Agreement
from app.volunteering.models import Shift, Signup

MILESTONES = (10, 50, 100)
GALA_MINIMUM = Decimal(10)


class VolunteerRecognition(Base):
    __tablename__ = "volunteering_recognition"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    gala_opt_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The volunteer lets the organisations they apply to see their highest badge.
    badges_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def confirmed_hours(user_id: int, year: int | None = None) -> Decimal:
    """Confirmed shift hours plus confirmed time-sheet hours, all organisations."""
    shifts = (
        sa.select(sa.func.coalesce(sa.func.sum(Signup.hours), 0))
        .join(Shift)
        .where(Signup.user_id == user_id, Signup.hours_confirmed_at.is_not(None))
    )
    if year is not None:
        lower = local_day_bounds(date(year, 1, 1))[0]
        upper = local_day_bounds(date(year, 12, 31))[1]
        shifts = shifts.where(Shift.starts_at >= lower, Shift.starts_at < upper)
    first, last = (date(year, 1, 1), date(year, 12, 31)) if year is not None else (None, None)
    from app.volunteering.agreements.timesheets import countable_entries

    agreements = db.session.scalars(sa.select(Agreement).where(Agreement.user_id == user_id))
    sheets = sum(
        (
            entry.confirmed_hours
            for agreement in agreements
            for entry in countable_entries(agreement, first, last)
        ),
        Decimal(0),
    )
    return Decimal(db.session.scalar(shifts)) + sheets


@dataclass(frozen=True)
class Milestone:
    hours: int
    reached: bool


def milestones(hours: Decimal) -> list[Milestone]:
    return [Milestone(m, hours >= m) for m in MILESTONES]


def recognition_of(user: User) -> VolunteerRecognition | None:
    return db.session.scalar(
        sa.select(VolunteerRecognition).where(VolunteerRecognition.user_id == user.id)
    )


def set_gala_opt_in(user: User, opt_in: bool, *, badges_public: bool | None = None) -> None:
    recognition = recognition_of(user)
    if recognition is None:
        recognition = VolunteerRecognition(user_id=user.id)
        db.session.add(recognition)
    recognition.gala_opt_in = opt_in
    if badges_public is not None:
        recognition.badges_public = badges_public
    db.session.flush()


def shown_badge(user_id: int | None) -> int | None:
    """The highest milestone (hours) of a volunteer who opted in to show it; None otherwise."""
    if user_id is None:
        return None
    shown = db.session.scalar(
        sa.select(VolunteerRecognition.badges_public).where(VolunteerRecognition.user_id == user_id)
    )
    if not shown:
        return None
    reached = [m.hours for m in milestones(confirmed_hours(user_id)) if m.reached]
    return reached[-1] if reached else None


def gala_list(year: int) -> list[tuple[str, Decimal]]:
    """Volunteers who opted in, with at least 10 confirmed hours in ``year``, most hours first."""
    users = db.session.scalars(
        sa.select(User)
        .join(VolunteerRecognition, VolunteerRecognition.user_id == User.id)
        .where(VolunteerRecognition.gala_opt_in.is_(True))
    )
    rows = [(user.name, confirmed_hours(user.id, year)) for user in users]
    rows = [row for row in rows if row[1] >= GALA_MINIMUM]
    return sorted(rows, key=lambda row: (-row[1], row[0].casefold()))


def gala_csv(year: int) -> str:
    from app.volunteering.service.reports import _polish_number, _safe

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["imię i nazwisko", f"potwierdzone godziny {year}"])
    for name, hours in gala_list(year):
        writer.writerow([_safe(name), _polish_number(hours)])
    return out.getvalue()
