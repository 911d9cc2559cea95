"""Two members assigning the same engagement to two grants at once - whole, or in parts that
together would exceed its confirmed hours: the agreement's lock lets exactly one through (no
hours settled twice), on both databases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.volunteering.grants import service
from app.volunteering.grants.models import GrantAssignment
from tests.helpers import Browser, race
from tests.volunteering.work import agreement_for, shift_at, utc, worked


@pytest.fixture
def app_config() -> dict:
    return {"JOBS_BACKEND": "memory"}


def _race_two_grants(app, live_server, make_opportunity, make_user, make_organisation,
                     volunteer, extra: dict):  # fmt: skip
    """An owner and an editor post the volunteer's 10-hour engagement to two grants at once
    (``extra``: more of the form, e.g. the part's hours); their answers."""
    owner, editor = make_user(name="Właścicielka"), make_user(name="Redaktor")
    organisation = make_organisation("Fundacja Wyścigowa", owner=owner, editors=[editor])
    opportunity = make_opportunity(org=organisation)
    worked(shift_at(opportunity, utc(2026, 3, 10, 9)), volunteer, "10")
    agreement = agreement_for(opportunity, volunteer, date(2026, 3, 1), date(2026, 3, 31))
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
        (
            f"{base}/{grant.id}/przypisania",
            {"agreement": agreement.id, "rate": grant.rates[0].id, **extra},
        )
        for grant in grants
    ]
    answers = race([lambda b=b, p=p: b.post(*p) for b, p in zip(browsers, posts, strict=True)])
    db.session.rollback()
    return answers


@pytest.mark.race
def test_racing_assignments_of_one_engagement(
    app, live_server, make_opportunity, make_user, make_organisation, volunteer
):
    answers = _race_two_grants(
        app, live_server, make_opportunity, make_user, make_organisation, volunteer, {}
    )
    assert sorted(a.status for a in answers) == [303, 409], [
        (a.status, a.text[:300]) for a in answers
    ]
    assert db.session.scalar(sa.select(sa.func.count(GrantAssignment.id))) == 1


@pytest.mark.race
def test_racing_parts_never_exceed_the_confirmed_hours(
    app, live_server, make_opportunity, make_user, make_organisation, volunteer
):
    """6 h of the 10 to each grant at once: the agreement's lock lets one through and the
    other sees the first part (6 + 6 > 10)."""
    answers = _race_two_grants(
        app, live_server, make_opportunity, make_user, make_organisation, volunteer, {"hours": "6"}
    )
    assert sorted(a.status for a in answers) == [303, 400], [
        (a.status, a.text[:300]) for a in answers
    ]
    assert any("w innych dotacjach jest już 6,00 godz." in a.text for a in answers)
    parts = db.session.scalars(sa.select(GrantAssignment.hours)).all()
    assert parts == [Decimal("6.00")]
