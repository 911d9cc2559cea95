"""Shifts in calendars: one shift's .ics (public, or the volunteer's own with the private
feed's UID), the .ics attached to the sign-up mail, and the public calendar of published shifts
filtered like the list (area, district), with correct wall-clock times across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import sqlalchemy as sa

from app.calendars.service import feed_token
from app.db import utcnow
from app.extensions import db
from app.timeutil import WARSAW
from app.volunteering import service as volunteering
from app.volunteering.models import OpportunityStatus, Signup
from tests.helpers import FakeSMTP


def vevents(body: bytes) -> list:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def uids(body: bytes) -> list[str]:
    return [str(e["uid"]) for e in vevents(body)]


def own_uid(signup: Signup) -> str:
    return f"volunteer-shift-{signup.shift_id}-{signup.id}@wspolnie.torun.pl"


# --- one shift -------------------------------------------------------------------------------


def test_a_published_shift_has_a_public_ics_and_google_link(client, shift):
    response = client.get(f"/wolontariat/terminy/{shift.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar; method=PUBLISH")
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["method"]) == "PUBLISH"
    assert uids(response.data) == [f"shift-{shift.id}@wspolnie.torun.pl"]
    # The public calendar carries the same UID.
    assert f"shift-{shift.id}@wspolnie.torun.pl" in uids(
        client.get("/wolontariat/kalendarz.ics").data
    )

    page = client.get(f"/wolontariat/oferty/{shift.opportunity_id}").text
    assert f'href="/wolontariat/terminy/{shift.id}.ics"' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page


def test_a_draft_shift_has_no_ics(client, make_opportunity, make_shift):
    draft = make_shift(make_opportunity("Szkic", status=OpportunityStatus.DRAFT))
    assert client.get(f"/wolontariat/terminy/{draft.id}.ics").status_code == 404
    assert client.get("/wolontariat/terminy/999999.ics").status_code == 404


def test_a_signed_up_volunteer_gets_their_own_event_with_the_private_feeds_uid(
    client, auth, shift, volunteer, make_user
):
    auth.login(volunteer)
    assert client.post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    signup = db.session.scalar(sa.select(Signup))
    body = client.get(f"/wolontariat/terminy/{shift.id}.ics").data
    assert uids(body) == [own_uid(signup)]
    assert str(vevents(body)[0]["status"]) == "TENTATIVE"  # waits for the organisation
    token = feed_token(f"volunteer:{volunteer.id}", volunteer.id)
    db.session.commit()
    assert uids(client.get(f"/wolontariat/kalendarz/{token}.ics").data) == [own_uid(signup)]

    page = client.get("/wolontariat/moje").text
    assert f'href="/wolontariat/terminy/{shift.id}.ics"' in page and "Google Calendar" in page
    # Someone else gets the public event, never the volunteer's.
    auth.logout()
    auth.login(make_user("inna@example.org"))
    assert uids(client.get(f"/wolontariat/terminy/{shift.id}.ics").data) == [
        f"shift-{shift.id}@wspolnie.torun.pl"
    ]


def test_the_sign_up_mail_carries_the_ics_with_the_private_feeds_uid(
    app, client, auth, shift, volunteer
):
    auth.login(volunteer)
    with FakeSMTP() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        response = client.post(
            f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"}
        )
        assert response.status_code == 303
        app.config.update(MAIL_SERVER=None)
    signup = db.session.scalar(sa.select(Signup))
    mine = [m for m in server.messages if m["To"] == volunteer.email]
    assert len(mine) == 1
    assert "W załączniku termin w pliku .ics" in mine[0].get_body(("plain",)).get_content()
    files = list(mine[0].iter_attachments())
    assert [(f.get_content_type(), f.get_param("method")) for f in files] == [
        ("text/calendar", "PUBLISH")
    ]
    calendar = icalendar.Calendar.from_ical(files[0].get_content().encode())
    assert str(calendar["method"]) == "PUBLISH"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == own_uid(signup)
    assert event.decoded("dtstart") == shift.starts_at
    # The organisation's copy has no calendar file (it is not their event).
    others = [m for m in server.messages if m["To"] != volunteer.email]
    assert others and all(not list(m.iter_attachments()) for m in others)


def test_a_waitlisted_sign_up_mail_has_no_ics(make_opportunity, make_shift, make_user, outbox):
    full = make_shift(make_opportunity(), capacity=1)
    volunteering.sign_up(full.id, user=make_user("a@example.org"), birth_year=1990)
    waiting = volunteering.sign_up(full.id, user=make_user("b@example.org"), birth_year=1990)
    db.session.commit()
    mail = [m for m in outbox() if m.topic == f"volunteering-signed_up:{waiting.id}"]
    assert len(mail) == 1 and mail[0].attachments == []
    first = [m for m in outbox() if m.recipient == "a@example.org"]
    assert len(first[0].attachments) == 1


# --- the public calendar ----------------------------------------------------------------------


def test_public_calendar_filters_by_area_and_district_and_shows_no_volunteers(
    client, make_opportunity, make_shift, make_user, organisation
):
    seniors = make_shift(make_opportunity("Spacer z seniorami", sphere="seniors"))
    sport = make_shift(make_opportunity("Mecz", sphere="sport", district="bielany"))
    make_shift(make_opportunity("Szkic", status=OpportunityStatus.DRAFT))
    volunteering.sign_up(
        seniors.id, user=make_user("z@example.org", name="Zofia Tajna"), birth_year=1990
    )
    db.session.commit()

    everything = client.get("/wolontariat/kalendarz.ics")
    assert everything.status_code == 200 and everything.mimetype == "text/calendar"
    assert "public" in everything.headers["Cache-Control"]
    summaries = sorted(str(e["summary"]).split(" – ")[0] for e in vevents(everything.data))
    assert summaries == ["Mecz", "Spacer z seniorami"]
    assert b"Zofia" not in everything.data and b"z@example.org" not in everything.data
    assert f"– {organisation.name}" in str(vevents(everything.data)[0]["summary"])

    area = client.get("/wolontariat/kalendarz.ics?area=seniors").data
    assert uids(area) == [f"shift-{seniors.id}@wspolnie.torun.pl"]
    district = client.get("/wolontariat/kalendarz.ics?district=bielany").data
    assert uids(district) == [f"shift-{sport.id}@wspolnie.torun.pl"]
    both = client.get("/wolontariat/kalendarz.ics?area=seniors&district=bielany").data
    assert uids(both) == []
    name = str(icalendar.Calendar.from_ical(district)["x-wr-calname"])
    assert "Bielany" in name
    # Unknown values are ignored, as on the list.
    assert len(uids(client.get("/wolontariat/kalendarz.ics?area=nie-ma").data)) == 2


def test_public_calendar_keeps_wall_clock_time_across_the_dst_change(
    client, make_opportunity, make_shift
):
    opportunity = make_opportunity("Sprzątanie Wisły")
    # The week of the spring change (28 March 2027): 10:00 in Warsaw before and after.
    before = datetime(2027, 3, 27, 10, tzinfo=WARSAW)
    after = datetime(2027, 3, 29, 10, tzinfo=WARSAW)
    for start in (before, after):
        make_shift(opportunity, starts_at=start.astimezone(UTC))
    events = vevents(client.get("/wolontariat/kalendarz.ics").data)
    starts = [e.decoded("dtstart") for e in events]
    assert [s.astimezone(WARSAW).hour for s in starts] == [10, 10]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=1), timedelta(hours=2)]
    assert all(str(e["dtstart"].params.get("TZID")) == "Europe/Warsaw" for e in events)
    body = client.get("/wolontariat/kalendarz.ics").data
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Warsaw" in body


def test_a_cancelled_shift_stays_as_cancelled(client, shift, ngo_owner):
    volunteering.cancel_shift(shift.id, actor=ngo_owner)
    db.session.commit()
    events = vevents(client.get("/wolontariat/kalendarz.ics").data)
    assert [str(e["status"]) for e in events] == ["CANCELLED"]
    db.session.refresh(shift)
    assert events[0]["sequence"] == shift.sequence


def test_the_list_and_the_embed_link_the_calendar_with_their_filters(
    client, make_opportunity, make_shift
):
    make_shift(make_opportunity())
    page = client.get("/wolontariat/?area=seniors&district=bielany&kind=one_off").text
    assert 'href="/wolontariat/kalendarz.ics?area=seniors&amp;district=bielany"' in page
    fragment = client.get("/wolontariat/?district=bielany", headers={"HX-Request": "true"}).text
    assert 'href="/wolontariat/kalendarz.ics?district=bielany"' in fragment
    embed = client.get("/embed/wolontariat?area=seniors").text
    assert 'href="http://localhost/wolontariat/kalendarz.ics?area=seniors"' in embed
    link = urlsplit("http://localhost/wolontariat/kalendarz.ics?area=seniors")
    assert parse_qs(link.query) == {"area": ["seniors"]}
    assert client.get(link.path + "?" + link.query).status_code == 200


def test_past_shifts_leave_the_public_calendar(client, make_opportunity, make_shift):
    opportunity = make_opportunity()
    make_shift(opportunity, starts_at=(utcnow() - timedelta(days=60)).replace(microsecond=0))
    recent = make_shift(opportunity, starts_in=timedelta(days=-2))
    assert uids(client.get("/wolontariat/kalendarz.ics").data) == [
        f"shift-{recent.id}@wspolnie.torun.pl"
    ]


def test_a_title_with_a_line_break_gives_a_valid_ics(client, make_opportunity, make_shift, outbox):
    shift = make_shift(make_opportunity("Pomoc w jadłodzielni\nna Rubinkowie"))
    body = client.get(f"/wolontariat/terminy/{shift.id}.ics").data
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Pomoc w jadłodzielni na Rubinkowie"
    assert str(calendar.walk("VEVENT")[0]["summary"]).startswith("Pomoc w jadłodzielni\nna")
