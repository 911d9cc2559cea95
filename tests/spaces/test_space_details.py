"""Practical details of a space (issue 16 item 2): directions, contacts, accessibility detail for
everyone; access instructions only for an organisation with a confirmed booking of that space,
the provider's managers and staff – never another organisation, a guest, a feed, open data or
a mail."""

from __future__ import annotations

from datetime import time

from app.extensions import db
from app.spaces import service
from app.spaces.models import BookingStatus
from app.spaces.service import fees
from tests.spaces.conftest import next_weekday

SECRET = "Klucz u woźnego, kod alarmu 4711"

DETAILS = {
    "directions": "Wejście od boiska, przystanek Rubinkowo",
    "contact_name": "Pani Sekretarka",
    "contact_phone": "56 123 45 67",
    "contact_email": "sekretariat@example.org",
    "day_contact": "Woźny, portiernia",
    "access_instructions": SECRET,
    "accessible_entrance": "Pochylnia od parkingu",
    "door_width_cm": "90",
    "accessible_toilet": "Parter, obok sali gimnastycznej",
    "accessibility_notes": "",
}


def save(client, space, **changes):
    return client.post(f"/przestrzenie/sala/{space.slug}/szczegoly", data={**DETAILS, **changes})


def test_manager_saves_details_and_everyone_sees_the_public_part(
    client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    assert client.get(f"/przestrzenie/sala/{space.slug}/szczegoly").status_code == 200
    assert save(client, space).status_code == 303
    auth.logout()
    page = client.get(f"/przestrzenie/sala/{space.slug}").get_data(as_text=True)
    for text in (
        "Wejście od boiska",
        "Pani Sekretarka",
        'href="tel:561234567"',
        "Woźny, portiernia",
        "Pochylnia od parkingu",
        "90 cm",
        "Parter, obok sali gimnastycznej",
    ):
        assert text in page, text
    assert SECRET not in page


def test_invalid_details_are_explained_with_the_values_kept(
    client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    response = save(client, space, door_width_cm="5", contact_email="nie-adres")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Podaj poprawny adres e-mail." in body and "Wejście od boiska" in body
    htmx = client.post(
        f"/przestrzenie/sala/{space.slug}/szczegoly",
        data={**DETAILS, "door_width_cm": "5"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422
    assert fees.details_of(space) is None


def test_access_instructions_only_for_confirmed_booking_managers_and_staff(
    client,
    auth,
    make_space,
    make_booking,
    provider_manager,
    organisation,
    ngo_owner,
    other_organisation,
    staff,
    make_user,
    outbox,
):
    space = make_space()
    auth.login(provider_manager)
    save(client, space)
    day = next_weekday(2)
    approved = make_booking(space, organisation, day, status=BookingStatus.APPROVED)
    make_booking(space, other_organisation, day, time(9), time(10), status=BookingStatus.PENDING)
    url = f"/przestrzenie/sala/{space.slug}"

    def sees(user) -> bool:
        if user is None:
            auth.logout()
        else:
            auth.login(user)
        return SECRET in client.get(url).get_data(as_text=True)

    other_owner = other_organisation.memberships[0].user
    assert sees(provider_manager) and sees(staff) and sees(ngo_owner)
    assert not sees(None)
    assert not sees(other_owner)  # its own request is only pending
    assert not sees(make_user("wolontariusz@example.org"))

    # Once the booking is cancelled, the organisation no longer sees how to get in.
    approved.status = BookingStatus.CANCELLED
    db.session.commit()
    assert not sees(ngo_owner)

    # Never in the public feed, open data or any mail.
    auth.logout()
    assert SECRET not in client.get(f"/kalendarze/przestrzen/{space.slug}.ics").get_data(
        as_text=True
    )
    for fmt in ("csv", "json"):
        assert SECRET not in client.get(f"/otwarte-dane/przestrzenie.{fmt}").get_data(as_text=True)
    assert all(SECRET not in message.body for message in outbox())


def test_access_instructions_not_in_the_approval_mail(
    client, auth, make_space, organisation, ngo_owner, provider_manager, outbox
):
    room = make_space()
    auth.login(provider_manager)
    save(client, room)
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest("Warsztaty", 10, next_weekday(1), time(17), time(19)),
    )
    db.session.commit()
    assert client.post(f"/przestrzenie/rezerwacje/{series.id}/zatwierdz").status_code == 303
    assert outbox() and all(SECRET not in m.body for m in outbox())


def test_only_managers_edit_details(client, auth, make_space, ngo_owner, organisation, make_user):
    space = make_space()
    for user in (ngo_owner, make_user("inny@example.org")):
        auth.login(user)
        assert client.get(f"/przestrzenie/sala/{space.slug}/szczegoly").status_code == 403
        assert save(client, space).status_code == 403
    auth.logout()
    assert client.get(f"/przestrzenie/sala/{space.slug}/szczegoly").status_code == 302
