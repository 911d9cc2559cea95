"""The demo data shows every kind and tag, a full shift with a waitlist and confirmed hours."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo import load_demo_data
from app.extensions import db
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityTagCode,
    Shift,
    Signup,
    SignupStatus,
)


def test_demo_data_is_complete_and_idempotent(app):
    load_demo_data()
    load_demo_data()
    opportunities = db.session.scalars(sa.select(Opportunity)).all()
    assert len(opportunities) == 8
    assert {o.kind for o in opportunities} == set(OpportunityKind)
    assert {code for o in opportunities for code in o.tag_codes} == {
        t.value for t in OpportunityTagCode
    }
    full = [s for s in db.session.scalars(sa.select(Shift)) if s.taken == s.capacity]
    assert any(
        any(signup.status == SignupStatus.WAITLISTED for signup in shift.signups) for shift in full
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Signup.id)).where(Signup.hours_confirmed_at.is_not(None))
        )
        >= 4
    )
    for shift in db.session.scalars(sa.select(Shift)):
        holding = sum(1 for s in shift.signups if s.holds_place)
        assert holding == shift.taken <= shift.capacity
