"""What people already signed up or booked see once city staff hide the content.

- A hidden offer's shifts stay in its volunteers' own feeds, marked as on hold (TENTATIVE,
  "Wstrzymane: ...", a note, no link to the gone page, SEQUENCE raised so calendar apps take
  it); restoring puts them back as they were (SEQUENCE raised again). Their dashboard says so
  and the day-before reminder is not sent while it is hidden. The organisation still sees it.
(Spaces: tests/spaces/test_hidden_space_feeds.py.)"""

from __future__ import annotations

from datetime import time, timedelta

import icalendar
import pytest
import sqlalchemy as sa

from app.calendars.service import feed_token
from app.db import utcnow
from app.extensions import db
from app.timeutil import local_to_utc, local_today
from app.volunteering import service
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupStatus,
)


@pytest.fixture
def offer(organisation):
    offer = Opportunity(
        organisation=organisation,
        title="Sprzątanie Wisły",
        description="Zbieramy śmieci nad rzeką.",
        sphere="ecology",
        kind=OpportunityKind.ONE_OFF,
        status=OpportunityStatus.PUBLISHED,
        published_at=utcnow(),
        district="rubinkowo",
        address="Bulwar Filadelfijski",
    )
    start = local_to_utc(local_today() + timedelta(days=1), time(10))
    offer.shifts.append(Shift(starts_at=start, ends_at=start + timedelta(hours=2), capacity=5))
    db.session.add(offer)
    db.session.commit()
    return offer


@pytest.fixture
def signed_up(offer, volunteer):
    signup = Signup(
        shift=offer.shifts[0],
        user=volunteer,
        status=SignupStatus.ACCEPTED,
        pending_since=utcnow(),
        responded_at=utcnow(),
    )
    db.session.add(signup)
    db.session.commit()
    return signup


def own_event(client, token):
    response = client.get(f"/wolontariat/kalendarz/{token}.ics")
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    return event, response.headers.get("ETag")


def hide(client, kind, content_id):
    return client.post(
        f"/zgloszenia/ukryj/{kind}/{content_id}", data={"reason": "Nieprawdziwe informacje"}
    )


def restore(client, content_id):
    from app.moderation.models import Hiding

    hiding = db.session.scalar(sa.select(Hiding).where(Hiding.content_id == content_id))
    return client.post(
        f"/zgloszenia/ukryte/{hiding.id}", data={"action": "restore", "note": "Poprawione"}
    )


def test_a_hidden_offer_is_on_hold_in_its_volunteers_feed_dashboard_and_reminders(
    client, auth, staff, volunteer, ngo_owner, offer, signed_up, outbox
):
    token = feed_token(f"volunteer:{volunteer.id}", volunteer.id)
    db.session.commit()
    before, etag = own_event(client, token)
    assert str(before["status"]) == "CONFIRMED" and "url" in before

    auth.login(staff)
    assert hide(client, "opportunity", offer.id).status_code == 303
    held, held_etag = own_event(client, token)
    assert held_etag != etag
    assert str(held["status"]) == "TENTATIVE"
    assert str(held["summary"]).startswith("Wstrzymane: Sprzątanie Wisły")
    assert "Urząd Miasta ukrył tę ofertę" in str(held["description"])
    assert "url" not in held  # the offer's page is gone for the volunteer
    assert str(held["uid"]) == str(before["uid"])
    assert int(held["sequence"]) > int(before["sequence"])

    auth.login(volunteer)
    page = client.get("/wolontariat/moje").text
    assert "wstrzymana: Urząd Miasta ukrył ofertę" in page
    assert f'href="/wolontariat/oferty/{offer.id}"' not in page
    assert f"/wolontariat/terminy/{offer.shifts[0].id}.ics" not in page
    # The shift is tomorrow: no reminder while the offer is hidden.
    assert service.send_reminders() == 0
    # The organisation still sees its own offer and who signed up.
    auth.login(ngo_owner)
    assert client.get(f"/wolontariat/oferty/{offer.id}").status_code == 200

    auth.login(staff)
    assert restore(client, offer.id).status_code == 303
    back, _etag = own_event(client, token)
    assert str(back["status"]) == "CONFIRMED"
    assert str(back["summary"]) == str(before["summary"]) and "url" in back
    assert int(back["sequence"]) > int(held["sequence"])
    assert service.send_reminders() == 1


def test_a_cancelled_sign_up_stays_cancelled_when_hidden(
    client, auth, staff, volunteer, offer, signed_up
):
    signed_up.status = SignupStatus.CANCELLED
    db.session.commit()
    token = feed_token(f"volunteer:{volunteer.id}", volunteer.id)
    db.session.commit()
    auth.login(staff)
    hide(client, "opportunity", offer.id)
    event, _etag = own_event(client, token)
    assert str(event["status"]) == "CANCELLED"
    assert not str(event["summary"]).startswith("Wstrzymane")
