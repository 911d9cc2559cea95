"""Two members assigning the same engagement to two grants at once: the unique constraint
lets exactly one through (no hours settled twice), on both databases."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.volunteering.agreements.models import Agreement
from app.volunteering.grants import service
from app.volunteering.grants.models import GrantAssignment
from tests.helpers import Browser, race


@pytest.fixture
def app_config() -> dict:
    return {"JOBS_BACKEND": "memory"}


@pytest.mark.race
def test_racing_assignments_of_one_engagement(
    app, live_server, make_opportunity, make_user, make_organisation, volunteer
):
    owner, editor = make_user(name="Właścicielka"), make_user(name="Redaktor")
    organisation = make_organisation("Fundacja Wyścigowa", owner=owner, editors=[editor])
    agreement = Agreement(
        opportunity=make_opportunity(org=organisation),
        user=volunteer,
        volunteer_name=volunteer.name,
        sections={},
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
    )
    db.session.add(agreement)
    grants = [
        service.create_grant(
            organisation, name=name, competition="", agreement_number="",
            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
        )
        for name in ("Pierwsza", "Druga")
    ]  # fmt: skip
    db.session.commit()
    browsers = [Browser(app, user, base_url=live_server.url) for user in (owner, editor)]
    base = f"/wolontariat/organizacja/{organisation.slug}/dotacje"
    posts = [
        (f"{base}/{grant.id}/przypisania", {"agreement": agreement.id, "rate": grant.rates[0].id})
        for grant in grants
    ]
    calls = [lambda b=b, p=p: b.post(*p) for b, p in zip(browsers, posts, strict=True)]
    answers = race(calls)
    assert sorted(a.status for a in answers) == [303, 409], [
        (a.status, a.text[:300]) for a in answers
    ]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(GrantAssignment.id))) == 1
