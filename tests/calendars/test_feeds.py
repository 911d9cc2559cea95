"""Booking feeds: public per space, private per provider and organisation (token URLs)."""

from __future__ import annotations

from datetime import date, time

import icalendar
import pytest

from app.calendars.feeds import build_space_feed
from app.calendars.service import feed_token
from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingSeries, BookingStatus, Recurrence, Space
from app.timeutil import WARSAW


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def space(provider):
    room = Space(
        provider=provider, name="Sala 1", slug="sala-1", capacity=20, address="ul. Dziewulskiego 1"
    )
    db.session.add(room)
    db.session.commit()
    return room


def add_booking(
    space, organisation, day, status=BookingStatus.APPROVED, title="", start=time(18), end=time(20)
):
    series = BookingSeries(
        space=space,
        organisation=organisation,
        purpose="Tajny cel",
        people=5,
        is_public=bool(title),
        public_title=title,
        recurrence=Recurrence.ONCE,
        first_day=day,
        start_time=start,
        end_time=end,
    )
    starts_at, ends_at = service.slot_for(day, start, end)
    booking = Booking(
        series=series,
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at,
        status=status,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


def events(body: bytes):
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_public_space_feed_has_approved_bookings_and_public_titles_only(
    client, space, organisation
):
    add_booking(space, organisation, date(2027, 3, 25), title="Koncert")
    add_booking(space, organisation, date(2027, 4, 1))
    add_booking(space, organisation, date(2027, 4, 8), status=BookingStatus.PENDING)
    response = client.get("/kalendarze/przestrzen/sala-1.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    found = events(response.data)
    assert [str(e["summary"]) for e in found] == ["Koncert", "Zajęte"]
    assert b"Tajny cel" not in response.data
    # Wall-clock 18:00 in Warsaw on both sides of the spring DST change.
    starts = [e.decoded("dtstart") for e in found]
    assert [s.astimezone(WARSAW).hour for s in starts] == [18, 18]
    assert str(found[0]["uid"]).startswith("booking-")


def test_builder_is_pure(space, organisation):
    booking = add_booking(space, organisation, date(2027, 10, 28), title="Wieczór")
    body = build_space_feed(space)
    [event] = events(body)
    assert event.decoded("dtstart").astimezone(WARSAW).hour == 18
    assert int(event["sequence"]) == booking.sequence


def test_private_feeds_by_token(client, space, organisation, other_organisation_factory):
    mine = add_booking(space, organisation, date(2027, 5, 6))
    add_booking(space, organisation, date(2027, 5, 13), status=BookingStatus.PENDING)
    cancelled = add_booking(space, organisation, date(2027, 5, 20), status=BookingStatus.CANCELLED)
    add_booking(space, other_organisation_factory(), date(2027, 5, 27))
    token = feed_token(f"organisation:{organisation.id}", organisation.memberships[0].user_id)
    db.session.commit()
    response = client.get(f"/kalendarze/prywatny/{token}.ics")
    assert response.status_code == 200
    found = events(response.data)
    assert len(found) == 3  # not the other organisation's booking
    statuses = {str(e["uid"]): str(e["status"]) for e in found}
    assert statuses[f"booking-{cancelled.id}@wspolnie.torun.pl"] == "CANCELLED"
    assert statuses[f"booking-{mine.id}@wspolnie.torun.pl"] == "CONFIRMED"
    assert b"Tajny cel" in response.data
    provider_token = feed_token(f"provider:{space.provider_id}", space.provider.managers[0].user_id)
    db.session.commit()
    assert len(events(client.get(f"/kalendarze/prywatny/{provider_token}.ics").data)) == 4
    assert client.get("/kalendarze/prywatny/nieznany.ics").status_code == 404


def test_feed_links_page_and_rotation(client, auth, organisation, ngo_owner, provider):
    auth.login(ngo_owner)
    page = client.get("/kalendarze/")
    assert "/kalendarze/prywatny/" in page.text
    old = feed_token(f"organisation:{organisation.id}", ngo_owner.id)
    db.session.commit()
    assert (
        client.post(
            "/kalendarze/nowy-link", data={"scope": f"organisation:{organisation.id}"}
        ).status_code
        == 303
    )
    assert client.get(f"/kalendarze/prywatny/{old}.ics").status_code == 404
    # Nobody rotates someone else's feed.
    assert (
        client.post("/kalendarze/nowy-link", data={"scope": f"provider:{provider.id}"}).status_code
        == 403
    )


@pytest.fixture
def other_organisation_factory(make_organisation):
    return lambda: make_organisation("Inna Fundacja")
