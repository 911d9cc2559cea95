"""Many volunteers press "Zapisz się" for the last places at the same moment, over real HTTP
against a threaded server, on SQLite and PostgreSQL: capacity is never exceeded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.volunteering import service
from app.volunteering.models import Shift, Signup, SignupEvent, SignupStatus
from tests.helpers import Browser, race

pytestmark = pytest.mark.race

RACERS = 24


@pytest.fixture
def app_config() -> dict:
    """Mail jobs are only queued here: the race is about places. (Delivered at once, each
    request would need a second pooled connection while still holding its own, and 24 racers
    starve the pool of 15.)"""
    return {"JOBS_BACKEND": "memory"}


def test_concurrent_signups_for_the_last_places(
    app, live_server, make_opportunity, make_shift, make_user
):
    shift = make_shift(make_opportunity(), capacity=5)
    for _ in range(2):  # two places already taken: three are left
        service.sign_up(shift.id, user=make_user(), birth_year=1990)
    racers = [make_user() for _ in range(RACERS)]
    browsers = [Browser(app, user, base_url=live_server.url) for user in racers]
    db.session.commit()

    url = f"/wolontariat/terminy/{shift.id}/zapis"
    answers = race([lambda b=b: b.post(url, {"birth_year": "1990"}) for b in browsers])

    # Everyone got an answer, nobody a 500.
    assert [a.status for a in answers] == [303] * RACERS, [(a.status, a.text) for a in answers]
    db.session.rollback()  # end the read snapshot taken before the race
    shift = db.session.get(Shift, shift.id)
    assert shift.taken == shift.capacity == 5
    racer_ids = [u.id for u in racers]
    rows = db.session.scalars(sa.select(Signup).where(Signup.user_id.in_(racer_ids))).all()
    assert len(rows) == RACERS  # nothing lost, nothing doubled
    holding = [s for s in rows if s.status == SignupStatus.PENDING]
    waiting = [s for s in rows if s.status == SignupStatus.WAITLISTED]
    assert len(holding) == 3
    assert len(waiting) == RACERS - 3
    assert sorted(s.waitlist_position for s in waiting) == list(range(1, RACERS - 3 + 1))
    # Every sign-up has exactly one history entry: nothing half-written.
    events = db.session.scalar(
        sa.select(sa.func.count(SignupEvent.id)).where(
            SignupEvent.signup_id.in_([s.id for s in rows])
        )
    )
    assert events == RACERS


def test_concurrent_cancellations_promote_each_waiter_once(
    app, live_server, make_opportunity, make_shift, make_user
):
    shift = make_shift(make_opportunity(), capacity=6)
    holders = [make_user() for _ in range(6)]
    held = [service.sign_up(shift.id, user=u, birth_year=1990) for u in holders]
    waiters = [service.sign_up(shift.id, user=make_user(), birth_year=1990) for _ in range(3)]
    browsers = [Browser(app, user, base_url=live_server.url) for user in holders]
    db.session.commit()

    urls = [f"/wolontariat/zgloszenia/{s.id}/rezygnacja" for s in held]
    answers = race([lambda b=b, u=u: b.post(u) for b, u in zip(browsers, urls, strict=True)])
    assert [a.status for a in answers] == [303] * len(holders), [a.status for a in answers]
    db.session.rollback()  # end the read snapshot taken before the race
    assert db.session.get(Shift, shift.id).taken == 3
    assert {db.session.get(Signup, w.id).status for w in waiters} == {SignupStatus.PENDING}
    assert {db.session.get(Signup, s.id).status for s in held} == {SignupStatus.CANCELLED}


def test_concurrent_shift_writes_keep_the_list_columns(
    app, live_server, make_opportunity, organisation, ngo_owner
):
    """Shifts added to one offer at the same moment (the list columns are recomputed in each
    writer's transaction, app/volunteering/listing.py): the columns end as the shifts give
    them, nothing lost to a snapshot taken before the other writer committed."""
    from datetime import timedelta

    from app.timeutil import local_today
    from app.volunteering import listing
    from app.volunteering.models import Opportunity

    opportunity = make_opportunity()
    browsers = [Browser(app, ngo_owner, base_url=live_server.url) for _ in range(6)]
    db.session.commit()
    url = f"/wolontariat/organizacja/{organisation.slug}/oferty/{opportunity.id}/terminy"
    days = [local_today() + timedelta(days=d) for d in range(2, 8)]
    answers = race(
        [
            lambda b=b, day=day: b.post(
                url, {"day": day.isoformat(), "start": "10:00", "end": "12:00", "capacity": "2"}
            )
            for b, day in zip(browsers, days, strict=True)
        ]
    )
    assert [a.status for a in answers] == [303] * 6, [(a.status, a.text[:300]) for a in answers]
    db.session.rollback()
    kept = db.session.get(Opportunity, opportunity.id)
    got = [getattr(kept, name) for name in listing.COLUMNS]
    listing.refresh_opportunities(db.session, [opportunity.id])
    db.session.expire_all()
    recomputed = db.session.get(Opportunity, opportunity.id)
    assert got == [getattr(recomputed, name) for name in listing.COLUMNS]
    assert len(recomputed.shifts) == 6 and recomputed.has_shifts
    db.session.rollback()
