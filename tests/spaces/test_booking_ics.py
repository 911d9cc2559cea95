"""Single bookings in calendars: the .ics (METHOD:PUBLISH, the feed's UID), the Google link,
who may download them, and the .ics attached to the approval e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from app.calendars.feeds import booking_uid
from app.calendars.ical import CalendarEvent
from app.calendars.service import feed_token
from app.calendars.single import google_calendar_url
from app.extensions import db
from app.spaces.models import BookingStatus
from tests.helpers import FakeSMTP
from tests.spaces.conftest import next_weekday


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def calendar_of(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def uids(body: bytes) -> list[str]:
    return [str(e["uid"]) for e in calendar_of(body).walk("VEVENT")]


@pytest.fixture
def booking(make_space, make_booking, organisation):
    space = make_space("Sala gimnastyczna", address="ul. Szkolna 1")
    return make_booking(space, organisation, next_weekday(2), time(17), time(19))


def test_a_member_downloads_one_booking_with_the_feeds_uid(client, auth, booking, ngo_owner):
    auth.login(ngo_owner)
    response = client.get(f"/kalendarze/terminy/{booking.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar; method=PUBLISH")
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = calendar_of(response.data)
    assert str(calendar["method"]) == "PUBLISH"
    assert uids(response.data) == [booking_uid(booking)]
    # The organisation's private feed has the same UID, so subscribing later adds no copy.
    token = feed_token(f"organisation:{booking.series.organisation_id}", ngo_owner.id)
    db.session.commit()
    feed = client.get(f"/kalendarze/prywatny/{token}.ics")
    assert booking_uid(booking) in uids(feed.data)
    event = calendar_of(response.data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at
    assert "ul. Szkolna 1" in str(event["location"])


def test_the_providers_manager_downloads_it_too(client, auth, booking, provider_manager):
    auth.login(provider_manager)
    assert client.get(f"/kalendarze/terminy/{booking.id}.ics").status_code == 200
    assert client.get(f"/kalendarze/rezerwacje/{booking.series_id}.ics").status_code == 200


def test_nobody_else_gets_a_bookings_ics(client, auth, booking, make_user):
    assert client.get(f"/kalendarze/terminy/{booking.id}.ics").status_code == 302  # log in
    auth.login(make_user("obcy@example.org"))
    assert client.get(f"/kalendarze/terminy/{booking.id}.ics").status_code == 404
    assert client.get(f"/kalendarze/rezerwacje/{booking.series_id}.ics").status_code == 404
    assert client.get("/kalendarze/terminy/999999.ics").status_code == 404


def test_the_series_ics_holds_its_live_occurrences(
    client, auth, make_space, make_booking, organisation, ngo_owner
):
    space = make_space()
    kept = make_booking(space, organisation, next_weekday(1))
    gone = make_booking(space, organisation, next_weekday(3), status=BookingStatus.CANCELLED)
    gone.series = kept.series
    db.session.commit()
    auth.login(ngo_owner)
    body = client.get(f"/kalendarze/rezerwacje/{kept.series_id}.ics").data
    assert uids(body) == [booking_uid(kept)]


def test_the_booking_page_offers_ics_and_google_for_each_occurrence(
    client, auth, booking, ngo_owner
):
    auth.login(ngo_owner)
    page = client.get(f"/przestrzenie/rezerwacje/{booking.series_id}").text
    assert f'href="/kalendarze/terminy/{booking.id}.ics"' in page
    assert f'href="/kalendarze/rezerwacje/{booking.series_id}.ics"' in page
    assert "Dodaj do kalendarza (.ics)" in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page


def test_google_link_is_encoded_and_in_utc_across_dst():
    event = CalendarEvent(
        uid="x@wspolnie.torun.pl",
        # 18:00 in Warsaw: 17:00 UTC in winter, 16:00 UTC in summer.
        start=datetime(2027, 3, 28, 16, 0, tzinfo=UTC),
        end=datetime(2027, 3, 28, 18, 30, tzinfo=UTC),
        summary="Próba chóru & zespołu: „Żywioł” #1",
        description="Sala 2/3\nwejście od podwórza",
        location="ul. Mickiewicza 10, Toruń",
        url="https://wspolnie.example/x?a=1&b=2",
    )
    link = google_calendar_url(event)
    parts = urlsplit(link)
    assert parts.netloc == "calendar.google.com" and parts.path == "/calendar/render"
    assert " " not in link and "&zesp" not in link and "#" not in parts.query.replace("%23", "")
    query = parse_qs(parts.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["Próba chóru & zespołu: „Żywioł” #1"]
    assert query["dates"] == ["20270328T160000Z/20270328T183000Z"]
    assert query["location"] == ["ul. Mickiewicza 10, Toruń"]
    assert query["details"] == [
        "Sala 2/3\nwejście od podwórza\n\nhttps://wspolnie.example/x?a=1&b=2"
    ]


def test_the_approval_mail_carries_the_ics_with_the_feeds_uid(
    app, client, auth, make_space, make_booking, organisation, provider_manager, ngo_owner
):
    space = make_space("Sala widowiskowa")
    pending = make_booking(space, organisation, next_weekday(4), status=BookingStatus.PENDING)
    auth.login(provider_manager)
    with FakeSMTP() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        response = client.post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz")
        assert response.status_code == 303
        app.config.update(MAIL_SERVER=None)
    approvals = [m for m in server.messages if m["To"] == ngo_owner.email]
    assert len(approvals) == 1
    message = approvals[0]
    assert "W załączniku terminy w pliku .ics" in message.get_body(("plain",)).get_content()
    files = list(message.iter_attachments())
    assert [f.get_content_type() for f in files] == ["text/calendar"]
    assert files[0].get_param("method") == "PUBLISH"
    assert files[0].get_filename() == f"rezerwacja-{pending.series_id}.ics"
    calendar = calendar_of(files[0].get_content().encode())
    assert str(calendar["method"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [booking_uid(pending)]
    assert str(events[0]["status"]) == "CONFIRMED"


def test_a_declined_request_gets_no_ics(
    app, client, auth, make_space, make_booking, organisation, provider_manager, outbox
):
    pending = make_booking(
        make_space(), organisation, next_weekday(4), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/rezerwacje/{pending.series_id}/odrzuc", data={"reason": "Remont"}
    )
    assert response.status_code == 303
    db.session.rollback()
    declined = [m for m in outbox() if m.topic.startswith("booking-declined")]
    assert declined and all(m.attachments == [] for m in declined)


def test_dates_for_a_summer_booking(make_space, make_booking, organisation):
    booking = make_booking(make_space(), organisation, date(2027, 7, 7), time(18), time(20))
    query = parse_qs(urlsplit(google_calendar_url_for(booking)).query)
    assert query["dates"] == ["20270707T160000Z/20270707T180000Z"]


def google_calendar_url_for(booking):
    from app.calendars.single_views import booking_calendar_links

    return booking_calendar_links(booking)["google"]
