"""The public volunteering calendar read as rows gives the feed the ORM objects gave
(reference_calendar.py), and its validator follows every write and the clock without reading
the shifts it lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.calendars.ical import build_calendar
from app.db import utcnow
from app.extensions import db
from app.volunteering import calendar, service
from app.volunteering.models import Opportunity, OpportunityKind, OpportunityStatus, Shift
from tests.helpers import count_statements
from tests.volunteering import reference_calendar
from tests.volunteering.test_listing_columns import _generate

URL = "/wolontariat/kalendarz.ics"


@pytest.fixture
def generated(app, organisation, make_organisation):
    _generate(organisation, seed=11, offers=60)
    _generate(make_organisation("Stowarzyszenie Inne"), seed=12, offers=30)
    now = utcnow()
    # Shifts long past, and cancelled ones in and out of the 90 days they stay.
    opportunity = db.session.scalar(sa.select(Opportunity).where(Opportunity.public()).limit(1))
    for days, cancelled_days in ((45, None), (20, 100), (20, 80), (-3, 95), (-3, 10)):
        start = now - timedelta(days=days)
        cancelled = now - timedelta(days=cancelled_days) if cancelled_days else None
        shift = Shift(opportunity=opportunity, starts_at=start, ends_at=start + timedelta(hours=2),
                      capacity=2, cancelled_at=cancelled, note="Uwaga: wejście od podwórza")  # fmt: skip
        db.session.add(shift)
        db.session.flush()
        if cancelled:  # cancelled that long ago: its last change then
            db.session.execute(
                sa.update(Shift).where(Shift.id == shift.id).values(updated_at=cancelled)
            )
    opportunity.address = "ul. Szeroka 1"
    db.session.commit()


@pytest.mark.parametrize(
    "query", ["", "area=seniors", "district=rubinkowo", "area=education&district=rubinkowo"]
)
def test_the_feed_is_the_one_the_orm_objects_gave(client, generated, query):
    filters = dict(part.split("=") for part in query.split("&") if part)
    events = calendar.public_events(**filters)
    assert events == reference_calendar.public_events(**filters)
    if not filters:
        assert len(events) > 100
        assert {e.status for e in events} == {"CONFIRMED", "CANCELLED"}
        assert any(e.description for e in events) and any(e.location for e in events)
    body = client.get(f"{URL}?{query}").data
    old = build_calendar(
        calendar_name(client, query),
        reference_calendar.public_events(**filters),
        description="Terminy ofert wolontariatu opublikowanych w serwisie Wspólnie.",
    )
    assert body == old


def calendar_name(client, query) -> str:
    import icalendar

    return str(icalendar.Calendar.from_ical(client.get(f"{URL}?{query}").data)["x-wr-calname"])


def _etag(client) -> str:
    return client.get(URL).headers["ETag"]


def test_a_poll_that_changes_nothing_reads_no_shift(client, generated):
    first = client.get(URL)
    with count_statements() as statements:
        again = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    # One aggregate of index seeks (plus the vocabulary of the filters); no shift row is read.
    assert not [s for s in statements if "volunteering_shifts.note" in s]
    assert not [s for s in statements if "JOIN" in s.upper()]  # the old one joined every shift
    assert len(statements) <= 3, statements
    since = client.get(URL, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_every_write_the_feed_shows_changes_the_validator(
    client, generated, make_user, ngo_owner, organisation
):
    etags = [_etag(client)]
    shift = db.session.scalar(
        sa.select(Shift)
        .join(Opportunity)
        .where(Opportunity.public(), Shift.cancelled_at.is_(None), Shift.starts_at > utcnow())
        .order_by(Shift.id)
        .limit(1)
    )
    service.cancel_shift(shift.id, actor=ngo_owner)
    db.session.commit()
    etags.append(_etag(client))
    opportunity = db.session.get(Opportunity, shift.opportunity_id)
    opportunity.title = "Nowy tytuł"
    db.session.commit()
    etags.append(_etag(client))
    organisation.name = "Fundacja Razem Inaczej"
    db.session.commit()
    etags.append(_etag(client))
    db.session.delete(db.session.get(Shift, shift.id))
    db.session.commit()
    etags.append(_etag(client))
    assert len(set(etags)) == len(etags)


def test_a_shift_leaving_by_the_clock_changes_the_validator(client, organisation):
    now = utcnow().replace(microsecond=0)
    opportunity = Opportunity(organisation=organisation, title="Sprzątanie", description="Opis.",
                              sphere="seniors", kind=OpportunityKind.ONE_OFF,
                              status=OpportunityStatus.PUBLISHED,
                              published_at=now)  # fmt: skip
    opportunity.shifts = [
        Shift(starts_at=now - timedelta(days=29), ends_at=now - timedelta(days=29) + timedelta(
            hours=2), capacity=2),
        Shift(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2),
              capacity=2),
    ]  # fmt: skip
    db.session.add(opportunity)
    db.session.commit()
    first = client.get(URL)
    assert first.data.count(b"BEGIN:VEVENT") == 2
    with freeze_time(now + timedelta(days=2)):  # the old shift ended more than 30 days ago
        later = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
        assert later.status_code == 200 and later.data.count(b"BEGIN:VEVENT") == 1
        since = client.get(URL, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 200  # Last-Modified is when it left
        assert client.get(URL, headers={"If-None-Match": later.headers["ETag"]}).status_code == 304
