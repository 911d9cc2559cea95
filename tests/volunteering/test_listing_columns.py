"""The list reads what it needs from the shifts off the opportunity (app/volunteering/listing.py):
the same offers, order, totals and pages as the query over the shifts (reference_browse.py), at
any moment, and a shift's write or end is reflected at once."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_today
from app.volunteering import browse, listing
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
)
from tests.volunteering import reference_browse

FILTERS = [
    {},
    {"sort": "soonest"},
    {"sort": "newest"},
    {"sort": "title"},
    {"area": "seniors"},
    {"kind": "regular", "sort": "soonest"},
    {"tag": "youth"},
    {"online": "1"},
    {"daypart": ["morning", "afternoon"]},
    {"weekday": ["5", "6"], "sort": "soonest"},
]
MOMENTS = [timedelta(0), timedelta(hours=1), timedelta(hours=7), timedelta(days=1),
           timedelta(days=3, hours=5), timedelta(days=12), timedelta(days=-2)]  # fmt: skip


def _generate(organisation, seed: int = 7, offers: int = 70) -> None:
    """Offers of every shape: no shifts, past ones only, cancelled ones, overlapping long and
    short shifts, drafts, hidden and expired offers, shifts ending within the hour."""
    rnd = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    for _ in range(offers):
        status = rnd.choice([OpportunityStatus.PUBLISHED] * 5 + [OpportunityStatus.DRAFT])
        opportunity = Opportunity(
            organisation=organisation,
            title=f"Oferta {rnd.randrange(20):02d}",  # ties: the id decides
            description="Opis.",
            sphere=rnd.choice(["seniors", "education"]),
            district="rubinkowo",
            kind=rnd.choice(list(OpportunityKind)),
            status=status,
            is_online=rnd.random() < 0.3,
            published_at=now - timedelta(hours=rnd.randrange(500)),
            hidden_at=now if rnd.random() < 0.08 else None,
            valid_until=rnd.choice([None, None, None, local_today() + timedelta(days=5),
                                    local_today() - timedelta(days=1)]),
        )  # fmt: skip
        opportunity.set_tags(rnd.sample(["youth", "seniors", "neighbourhood"], rnd.randrange(3)))
        for _ in range(rnd.choice([0, 0, 1, 1, 2, 3, 5])):
            start = now + timedelta(minutes=rnd.randrange(-14 * 24 * 60, 16 * 24 * 60))
            if rnd.random() < 0.15:  # ends within the next hours
                start = now - timedelta(hours=1) + timedelta(minutes=rnd.randrange(1, 300))
            opportunity.shifts.append(
                Shift(
                    starts_at=start,
                    ends_at=start + timedelta(hours=rnd.choice([1, 2, 3, 30, 80])),
                    capacity=3,
                    cancelled_at=now if rnd.random() < 0.2 else None,
                )
            )
        db.session.add(opportunity)
    db.session.commit()


def _compare(now) -> None:
    for args in FILTERS:
        for page in range(1, 10):
            filters = browse.parse_filters(_multidict({**args, "page": str(page)}))
            result = browse.search(filters, now=now, per_page=5)
            expected = reference_browse.search(filters, now, per_page=5)
            got = ([o.id for o in result.items], result.total, result.page)
            assert got == expected, (args, page, now)
            if not args:  # each card's next shift: the first upcoming one by start, then id
                for opportunity in result.items:
                    assert [s.id for s in opportunity.card_shifts()] == _first_upcoming(
                        opportunity.id, now
                    )
            if page >= result.pages:
                break


def _first_upcoming(opportunity_id: int, now) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Shift.id)
            .where(
                Shift.opportunity_id == opportunity_id,
                Shift.ends_at > now,
                Shift.cancelled_at.is_(None),
            )
            .order_by(Shift.starts_at, Shift.id)
            .limit(1)
        )
    )


def _multidict(args):
    from werkzeug.datastructures import MultiDict

    return MultiDict(
        [(k, v) for k, vs in args.items() for v in (vs if isinstance(vs, list) else [vs])]
    )


def test_the_list_is_the_one_the_shifts_give_at_any_moment(app, organisation):
    _generate(organisation)
    base = utcnow()
    listed = browse.search(browse.Filters(), now=base, per_page=1000).total
    assert 10 < listed < 70  # the data has listed and unlisted offers
    for offset in MOMENTS:  # time passing, no write: the kept columns go stale, the list not
        _compare(base + offset)
    # The periodic job moves the stale windows on; the list is still the same.
    later = base + timedelta(days=1)
    assert listing.refresh_stale(db.session, later) > 0
    db.session.commit()
    for offset in MOMENTS[3:]:
        _compare(base + offset)


def test_a_shift_write_changes_the_list_at_once(client, auth, organisation, ngo_owner):
    """Adding, moving and cancelling shifts through the organisation's pages."""
    base = f"/wolontariat/organizacja/{organisation.slug}"
    now = utcnow()
    first = Opportunity(organisation=organisation, title="Pierwsza", description="Opis.",
                        sphere="seniors", kind=OpportunityKind.ONE_OFF,
                        status=OpportunityStatus.PUBLISHED, published_at=now)  # fmt: skip
    second = Opportunity(organisation=organisation, title="Druga", description="Opis.",
                         sphere="seniors", kind=OpportunityKind.ONE_OFF,
                         status=OpportunityStatus.PUBLISHED, published_at=now)  # fmt: skip
    db.session.add_all([first, second])
    db.session.commit()
    auth.login(ngo_owner)

    def order() -> list[str]:
        text = client.get("/wolontariat/?sort=soonest").text
        found = [(text.find(t), t) for t in ("Pierwsza", "Druga") if t in text]
        return [t for _, t in sorted(found)]

    def add(opportunity, day: date, start: str, end: str):
        response = client.post(
            f"{base}/oferty/{opportunity.id}/terminy",
            data={"day": day.isoformat(), "start": start, "end": end, "capacity": "2"},
        )
        assert response.status_code == 303

    assert order() == ["Pierwsza", "Druga"]  # both without shifts: by id
    add(second, local_today() + timedelta(days=4), "10:00", "12:00")
    assert order() == ["Druga", "Pierwsza"]  # a dated offer before an ongoing one
    add(first, local_today() + timedelta(days=2), "10:00", "12:00")
    assert order() == ["Pierwsza", "Druga"]
    shift = db.session.scalar(sa.select(Shift).where(Shift.opportunity_id == first.id))
    moved = client.post(
        f"{base}/terminy/{shift.id}/edycja",
        data={"day": (local_today() + timedelta(days=6)).isoformat(), "start": "10:00",
              "end": "12:00"},
    )  # fmt: skip
    assert moved.status_code == 303
    assert order() == ["Druga", "Pierwsza"]
    client.post(f"{base}/terminy/{shift.id}/odwolaj", data={"reason": "Deszcz."})
    # Its only shift cancelled: the offer has shifts, none to come, so it leaves the list.
    assert order() == ["Druga"]
    db.session.expire_all()
    assert db.session.get(Opportunity, first.id).shifts_end is None


@pytest.mark.parametrize("refreshed", [False, True], ids=["stale", "refreshed"])
def test_a_shift_that_ends_leaves_without_a_write(app, organisation, refreshed):
    now = utcnow().replace(microsecond=0)
    soon = Opportunity(organisation=organisation, title="Zaraz", description="Opis.",
                       sphere="seniors", kind=OpportunityKind.ONE_OFF,
                       status=OpportunityStatus.PUBLISHED, published_at=now)  # fmt: skip
    soon.shifts = [
        Shift(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), capacity=1),
        Shift(starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=2),
              capacity=1),
    ]  # fmt: skip
    other = Opportunity(organisation=organisation, title="Potem", description="Opis.",
                        sphere="seniors", kind=OpportunityKind.ONE_OFF,
                        status=OpportunityStatus.PUBLISHED, published_at=now)  # fmt: skip
    other.shifts = [Shift(starts_at=now + timedelta(days=2),
                          ends_at=now + timedelta(days=2, hours=1), capacity=1)]  # fmt: skip
    db.session.add_all([soon, other])
    db.session.commit()

    def ids(at):
        return [o.id for o in browse.search(browse.Filters(), now=at).items]

    assert ids(now) == [soon.id, other.id]
    later = now + timedelta(hours=2)  # the first shift of "Zaraz" has ended
    if refreshed:
        assert listing.refresh_stale(db.session, later) == 1
        db.session.commit()
    assert ids(later) == [other.id, soon.id]
    gone = now + timedelta(days=6)  # every shift of "Zaraz" has ended
    assert ids(gone) == []
    assert reference_browse.search(browse.Filters(), gone)[1] == 0


def test_the_refresh_runs_every_ten_minutes_as_a_job(app, organisation):
    from freezegun import freeze_time

    from app.jobs import huey, job_name
    from app.volunteering import tasks

    moment = datetime(2026, 12, 2, 10, 0)
    due = {job_name(job) for job in huey.read_periodic(moment)}
    assert "app.volunteering.tasks.refresh_listing" in due
    assert "app.volunteering.tasks.refresh_listing" not in {
        job_name(job) for job in huey.read_periodic(moment + timedelta(minutes=5))
    }
    now = utcnow().replace(microsecond=0)
    opportunity = Opportunity(organisation=organisation, title="Zaraz", description="Opis.",
                              sphere="seniors", kind=OpportunityKind.ONE_OFF,
                              status=OpportunityStatus.PUBLISHED, published_at=now)  # fmt: skip
    opportunity.shifts = [
        Shift(starts_at=now, ends_at=now + timedelta(minutes=30), capacity=1),
        Shift(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1),
              capacity=1),
    ]  # fmt: skip
    db.session.add(opportunity)
    db.session.commit()
    with freeze_time(now + timedelta(hours=1)):
        assert tasks.refresh_listing.call_local() == 1
    db.session.expire_all()
    assert opportunity.next_start == now + timedelta(days=1)
    assert opportunity.next_from == now + timedelta(minutes=30)
