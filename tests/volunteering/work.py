"""Confirmed work for the wkład osobowy tests: shifts, confirmed sign-ups and agreements built
directly (the sign-up flow itself is tested elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.extensions import db
from app.volunteering.agreements.models import Agreement
from app.volunteering.models import Shift, Signup, SignupStatus


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def agreement_for(opportunity, user, start, end, *, concluded: bool = False) -> Agreement:
    agreement = Agreement(
        opportunity=opportunity,
        user=user,
        volunteer_name=user.name,
        sections={},
        period_start=start,
        period_end=end,
    )
    if concluded:
        agreement.volunteer_accepted_at = agreement.organisation_accepted_at = utc(2025, 11, 1)
        agreement.volunteer_accepted_version = 0
    db.session.add(agreement)
    return agreement


def worked(shift, user, hours) -> Signup:
    shift.taken += 1
    signup = Signup(
        shift=shift,
        user=user,
        status=SignupStatus.ACCEPTED,
        attended=True,
        hours=Decimal(hours),
        hours_confirmed_at=shift.ends_at,
    )
    db.session.add(signup)
    return signup


def shift_at(opportunity, start: datetime, hours: int = 3) -> Shift:
    shift = Shift(
        opportunity=opportunity,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=5,
        taken=0,
    )
    db.session.add(shift)
    return shift


def attended(shift, user, ngo_owner) -> None:
    """Through the service: ``user`` signs up, is accepted and attends (the shift's length
    confirmed as hours after it ended)."""
    from freezegun import freeze_time

    from app.volunteering import service

    signup = service.sign_up(shift.id, user=user, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    db.session.commit()
