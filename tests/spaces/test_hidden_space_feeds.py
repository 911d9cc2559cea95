"""What people who booked see once city staff hide the content (volunteers' shifts:
tests/moderation/test_hidden_in_private_feeds.py).

- A hidden space is still booked: the booking stays in the organisation's and the provider's
  feeds, with a note in the description.
- A hidden organisation's public event titles leave the public space feed and week view."""

from __future__ import annotations

import icalendar

from app.calendars.service import feed_token
from app.extensions import db
from tests.moderation.test_hidden_in_private_feeds import hide
from tests.spaces.conftest import next_weekday


def test_a_hidden_space_stays_booked_in_the_feeds_of_both_sides(
    client, auth, staff, make_space, make_booking, organisation, ngo_owner, provider_manager
):
    space = make_space("Sala Widokowa", address="ul. Szeroka 1")
    booking = make_booking(space, organisation, next_weekday(2))
    organisation_token = feed_token(f"organisation:{organisation.id}", ngo_owner.id)
    provider_token = feed_token(f"provider:{space.provider_id}", provider_manager.id)
    db.session.commit()
    auth.login(staff)
    assert hide(client, "space", space.id).status_code == 303
    auth.logout()
    for token in (organisation_token, provider_token):
        feed = client.get(f"/kalendarze/prywatny/{token}.ics")
        (event,) = icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
        assert str(event["status"]) == "CONFIRMED"
        assert "Urząd Miasta ukrył stronę tej przestrzeni" in str(event["description"])
        assert "Spotkanie" in str(event["description"])
    # The member's own download of the booking says the same.
    auth.login(ngo_owner)
    single = client.get(f"/kalendarze/terminy/{booking.id}.ics")
    assert b"Urz" in single.data and single.status_code == 200
    # Their bookings page and the booking's own page say so too (the space page is gone).
    assert (
        "strona przestrzeni ukryta przez Urząd" in client.get("/przestrzenie/moje-rezerwacje").text
    )
    series = client.get(f"/przestrzenie/rezerwacje/{booking.series_id}")
    assert series.status_code == 200 and "Urząd Miasta ukrył stronę tej przestrzeni" in series.text


def test_a_hidden_organisations_public_titles_leave_public_calendars(
    client, auth, staff, make_space, make_booking, organisation
):
    space = make_space("Sala Koncertowa")
    day = next_weekday(3)
    make_booking(space, organisation, day, public_title="Koncert kolęd")
    assert "Koncert kolęd" in client.get(f"/kalendarze/przestrzen/{space.slug}.ics").text
    week_url = f"/przestrzenie/sala/{space.slug}?tydzien={day.isoformat()}"
    assert "Koncert kolęd" in client.get(week_url).text
    auth.login(staff)
    assert hide(client, "organisation", organisation.id).status_code == 303
    auth.logout()
    feed = client.get(f"/kalendarze/przestrzen/{space.slug}.ics").text
    assert "Koncert kolęd" not in feed and "Zajęte" in feed
    assert "Koncert kolęd" not in client.get(week_url).text
