"""Factories for the volunteering tests: opportunities, shifts, profiles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.extensions import db
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    VolunteerProfile,
)


@pytest.fixture
def make_opportunity(app, organisation):
    def make_opportunity(
        title: str = "Pomoc w jadłodzielni",
        *,
        org=None,
        tags=(),
        status=OpportunityStatus.PUBLISHED,
        kind=OpportunityKind.ONE_OFF,
        **fields,
    ) -> Opportunity:
        fields.setdefault("sphere", "social_assistance")
        fields.setdefault("district", "rubinkowo")
        fields.setdefault("description", "Opis zadania.")
        opportunity = Opportunity(
            organisation=org or organisation,
            title=title,
            status=status,
            kind=kind,
            published_at=utcnow() if status == OpportunityStatus.PUBLISHED else None,
            **fields,
        )
        opportunity.set_tags(tags)
        db.session.add(opportunity)
        db.session.commit()
        return opportunity

    return make_opportunity


@pytest.fixture
def make_shift(app):
    def make_shift(
        opportunity, *, starts_in=timedelta(days=3), hours=2, capacity=3, starts_at=None
    ):
        start = starts_at or (utcnow() + starts_in).replace(microsecond=0)
        shift = Shift(
            opportunity=opportunity,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            capacity=capacity,
        )
        db.session.add(shift)
        db.session.commit()
        return shift

    return make_shift


@pytest.fixture
def make_volunteer_profile(app):
    def make_volunteer_profile(user, **fields) -> VolunteerProfile:
        fields.setdefault("birth_year", 1990)
        fields.setdefault("interests", [])
        fields.setdefault("availability", [])
        profile = VolunteerProfile(user=user, **fields)
        db.session.add(profile)
        db.session.commit()
        return profile

    return make_volunteer_profile


@pytest.fixture
def shift(make_opportunity, make_shift):
    return make_shift(make_opportunity(), capacity=2)


@pytest.fixture(autouse=True)
def request_context(app):
    """Service functions translate their messages; give them a request as the views do."""
    with app.test_request_context():
        yield
