"""Feeds over HTTP: strong ETags and Last-Modified, 304 without building the feed, caching headers
that suit each feed, gzip; and independent parsers read what we write."""

from __future__ import annotations

import gzip
from datetime import date, time

import icalendar
import pytest
import recurring_ical_events
import sqlalchemy as sa
import vobject

from app.calendars.service import feed_token
from app.extensions import db
from app.spaces.models import Booking, BookingStatus
from tests.calendars.test_feeds import add_booking


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def space(provider):
    from app.spaces.models import Space

    room = Space(provider=provider, name="Sala Łąkowa", slug="sala-lakowa", capacity=20)
    db.session.add(room)
    db.session.commit()
    return room


@pytest.fixture
def statements(app):
    """The SQL statements a request runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


FEEDS = ["space", "organisation", "provider", "volunteer"]


def feed_url(kind: str, space, organisation, ngo_owner, volunteer) -> str:
    if kind == "space":
        return f"/kalendarze/przestrzen/{space.slug}.ics"
    if kind == "volunteer":
        token = feed_token(f"volunteer:{volunteer.id}", volunteer.id)
        db.session.commit()
        return f"/wolontariat/kalendarz/{token}.ics"
    if kind == "organisation":
        token = feed_token(f"organisation:{organisation.id}", ngo_owner.id)
    else:
        token = feed_token(f"provider:{space.provider_id}", space.provider.managers[0].user_id)
    db.session.commit()
    return f"/kalendarze/prywatny/{token}.ics"


@pytest.mark.parametrize("kind", FEEDS)
def test_a_poll_that_changes_nothing_gets_304(
    kind, client, space, organisation, ngo_owner, volunteer, statements
):
    add_booking(space, organisation, date(2027, 3, 25), title="Koncert „Łąka”")
    url = feed_url(kind, space, organisation, ngo_owner, volunteer)
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers.get("Last-Modified")
    assert etag.startswith('"') and not etag.startswith("W/")
    statements.clear()
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    # Answered from the version query: the events themselves were not read.
    assert not [s for s in statements if "ORDER BY" in s], statements
    if kind != "volunteer":
        assert modified
        since = client.get(url, headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        # If-None-Match decides on its own: a stale ETag gets the feed even with a fresh date.
        stale = client.get(url, headers={"If-None-Match": '"old"', "If-Modified-Since": modified})
        assert stale.status_code == 200


@pytest.mark.parametrize("kind", ["space", "organisation", "provider"])
def test_a_change_gives_a_new_etag(kind, client, space, organisation, ngo_owner, volunteer):
    booking = add_booking(space, organisation, date(2027, 3, 25))
    url = feed_url(kind, space, organisation, ngo_owner, volunteer)
    etag = client.get(url).headers["ETag"]
    booking = db.session.get(Booking, booking.id)
    booking.sequence += 1
    booking.starts_at = booking.starts_at.replace(hour=booking.starts_at.hour - 1)
    db.session.commit()
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    # Renaming the space changes every event's location: a new version too.
    etag = moved.headers["ETag"]
    space.name = "Sala Leśna"
    db.session.commit()
    renamed = client.get(url, headers={"If-None-Match": etag})
    assert renamed.status_code == 200 and b"Sala Le" in renamed.data
    # A new booking, and a cancellation (private feeds keep it as CANCELLED; the public one drops it).
    etag = renamed.headers["ETag"]
    add_booking(space, organisation, date(2027, 4, 1))
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_the_etag_follows_the_language(client, space, organisation):
    add_booking(space, organisation, date(2027, 3, 25))
    url = f"/kalendarze/przestrzen/{space.slug}.ics"
    polish = client.get(url, headers={"Accept-Language": "pl"})
    english = client.get(
        url, headers={"Accept-Language": "en", "If-None-Match": polish.headers["ETag"]}
    )
    assert english.status_code == 200 and english.headers["ETag"] != polish.headers["ETag"]


def test_caching_headers_suit_each_feed(client, space, organisation, ngo_owner, volunteer):
    public = client.get(feed_url("space", space, organisation, ngo_owner, volunteer))
    assert public.headers["Cache-Control"].startswith("public")
    private = client.get(feed_url("organisation", space, organisation, ngo_owner, volunteer))
    assert private.headers["Cache-Control"].startswith("private")
    assert private.headers["Referrer-Policy"] == "no-referrer"
    assert "Accept-Encoding" in private.headers["Vary"]


def test_gzip_when_the_client_accepts_it(client, space, organisation):
    for week in range(20):
        add_booking(
            space,
            organisation,
            date(2027, 3, 1 + week % 28),
            start=time(8 + week % 12),
            end=time(9 + week % 12),
        )
    url = f"/kalendarze/przestrzen/{space.slug}.ics"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 2
    # Each representation has its own strong ETag; either one revalidates.
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    for etag in (plain.headers["ETag"], zipped.headers["ETag"]):
        assert (
            client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"}).status_code
            == 304
        )


@pytest.mark.parametrize("kind", FEEDS)
def test_independent_parsers_read_every_feed(
    kind, client, space, organisation, ngo_owner, volunteer
):
    """vobject and recurring-ical-events read the same events icalendar does, with Polish text
    intact, across both DST changes (Warsaw wall clock 18:00 on both sides of each)."""
    # Both clock changes: 28 March and 31 October 2027.
    for day in (date(2027, 3, 25), date(2027, 4, 1), date(2027, 10, 28), date(2027, 11, 4)):
        add_booking(space, organisation, day, title="Wieczór; poezji, śpiew")
    add_booking(space, organisation, date(2027, 11, 11), status=BookingStatus.CANCELLED)
    body = client.get(feed_url(kind, space, organisation, ngo_owner, volunteer)).data
    calendar = icalendar.Calendar.from_ical(body)
    ours = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    parsed = vobject.readOne(body.decode())
    theirs = {e.uid.value for e in getattr(parsed, "vevent_list", [])}
    assert ours == theirs
    expanded = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 12, 1))
    assert {str(e["uid"]) for e in expanded} == ours
    if kind == "space":
        assert {e.summary.value for e in parsed.vevent_list} == {"Wieczór; poezji, śpiew"}
        hours = {e.dtstart.value.hour for e in parsed.vevent_list}
        assert hours == {18}
        assert b"DTSTART;TZID=Europe/Warsaw:" in body
        # icalendar resolves the zone: winter and summer time on either side of each change.
        offsets = {
            e.decoded("dtstart").utcoffset().total_seconds() / 3600 for e in calendar.walk("VEVENT")
        }
        assert offsets == {1.0, 2.0}
    if kind in ("organisation", "provider"):
        statuses = {str(e["status"]) for e in calendar.walk("VEVENT")}
        assert "CANCELLED" in statuses  # private feeds keep the cancellation


def test_the_public_volunteering_calendar_answers_304_and_parses_elsewhere(client):
    url = "/wolontariat/kalendarz.ics"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"].startswith("public")
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    vobject.readOne(first.data.decode())
    # Another filter is another feed with its own validator.
    other = client.get(url, query_string={"district": "rubinkowo"})
    assert other.headers["ETag"] != first.headers["ETag"]


def test_the_volunteering_list_offers_its_calendar_in_one_step(client):
    page = client.get("/wolontariat/").text
    assert 'href="webcal://localhost/wolontariat/kalendarz.ics"' in page
