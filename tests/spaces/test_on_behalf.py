"""Bookings the provider's staff enter: for an organisation that phoned or wrote, or a slot
for their own event; same rules, same lock, same database guarantee as requests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.spaces.models import Booking, BookingSeries, BookingStatus
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday


def _form(day, organisation_id, **extra):
    return {
        "space": extra.pop("space"),
        "organisation": str(organisation_id),
        "via": "phone",
        "purpose": "Zebranie zarządu (telefon)",
        "people": "8",
        "day": day.isoformat(),
        "start": "17:00",
        "end": "19:00",
        "recurrence": "once",
        **extra,
    }


def test_staff_enter_a_booking_for_an_organisation_which_is_told_and_sees_it(
    client, auth, make_space, provider, provider_manager, organisation, ngo_owner, outbox
):
    room = make_space("Sala gimnastyczna")
    day = next_weekday(1)
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje")
    assert page.status_code == 200 and "Sala gimnastyczna" in page.text
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje",
        data=_form(day, organisation.id, space=str(room.id)),
    )
    assert response.status_code == 303
    series = db.session.scalar(sa.select(BookingSeries))
    assert series.on_behalf_via == "phone" and not series.own_use
    assert series.requested_by_id == provider_manager.id
    assert [b.status for b in series.occurrences] == [BookingStatus.APPROVED]
    told = [m for m in outbox() if m.recipient == ngo_owner.email]
    assert [m.subject for m in told] == ["Rezerwacja zatwierdzona"]
    assert "w imieniu organizacji (zgłoszenie telefonicznie)" in told[0].body
    # The organisation sees it among its bookings and on the series page, entered by whom.
    auth.login(ngo_owner)
    assert "Sala gimnastyczna" in client.get("/przestrzenie/moje-rezerwacje").text
    detail = client.get(f"/przestrzenie/rezerwacje/{series.id}").text
    assert "Dyrektorka Szkoły" in detail and "telefonicznie" in detail


def test_own_use_blocks_the_slot_without_an_organisation(
    client, auth, make_space, provider, provider_manager, organisation, make_booking, outbox
):
    room = make_space("Aula")
    day = next_weekday(2)
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje",
        data=_form(day, 0, space=str(room.id), purpose="Dzień otwarty szkoły"),
    )
    assert response.status_code == 303
    series = db.session.scalar(sa.select(BookingSeries))
    assert series.own_use and series.organisation_id is None
    assert "Wydarzenie własne" in client.get(response.headers["Location"]).text
    # The slot is taken for everyone else: a request for it is refused with the reason.
    auth.login(organisation.memberships[0].user)
    refused = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Próba",
            "people": "5",
            "day": day.isoformat(),
            "start": "18:00",
            "end": "19:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert refused.status_code == 409
    assert "Żaden z terminów nie jest dostępny" in refused.text


def test_entering_a_taken_slot_is_refused_and_bad_input_re_renders(
    client,
    auth,
    make_space,
    make_booking,
    provider,
    provider_manager,
    organisation,
    other_organisation,
):
    room = make_space()
    day = next_weekday(3)
    make_booking(room, other_organisation, day)
    auth.login(provider_manager)
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje"
    taken = client.post(url, data=_form(day, organisation.id, space=str(room.id)))
    assert taken.status_code == 409
    assert "Żaden z terminów nie jest dostępny" in taken.text
    bad = client.post(url, data=_form(day, organisation.id, space=str(room.id), end="16:00"))
    assert bad.status_code == 400
    assert "Godzina końca musi być późniejsza" in bad.text
    assert "Zebranie zarządu (telefon)" in bad.text  # the values stay
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 1


def test_only_the_providers_managers_enter_bookings(
    client, auth, make_space, make_provider, make_user, provider, organisation, ngo_owner
):
    room = make_space()
    other_manager = make_user(name="Inny Dyrektor")
    make_provider(managers=[other_manager])
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje"
    for user in (other_manager, ngo_owner):
        auth.login(user)
        assert client.get(url).status_code == 403
        posted = client.post(url, data=_form(next_weekday(1), organisation.id, space=str(room.id)))
        assert posted.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 0


@pytest.mark.race
def test_on_behalf_and_a_request_for_the_same_slot_never_both_win(
    app, make_space, make_user, make_organisation, provider, provider_manager, live_server
):
    """A phone booking entered by the provider and an auto-approved request from a verified
    organisation race for one slot, again and again: exactly one holds it each time."""
    provider.auto_approve_verified = True
    db.session.commit()
    room = make_space()
    room_id = room.id
    caller = make_organisation("Klub Seniora")
    member = make_user(name="Członkini")
    applicant = make_organisation(owner=member, verified_at=utcnow())
    manager = Browser(app, provider_manager, base_url=live_server.url)
    ngo = Browser(app, member, base_url=live_server.url)
    enter_url = f"/przestrzenie/udostepniajacy/{provider.slug}/wpisz-rezerwacje"
    request_url = f"/przestrzenie/sala/{room.slug}/rezerwuj"
    for round_ in range(4):
        day = next_weekday(round_ % 7, weeks_ahead=2 + round_)
        on_behalf = _form(day, caller.id, space=str(room_id))
        request = {
            "organisation": str(applicant.id),
            "purpose": "Próba",
            "people": "5",
            "day": day.isoformat(),
            "start": "18:00",
            "end": "20:00",
            "recurrence": "once",
            "action": "send",
        }
        results = race(
            [
                lambda on_behalf=on_behalf: manager.post(enter_url, on_behalf).status,
                lambda request=request: ngo.post(request_url, request).status,
            ]
        )
        assert sorted(results) == [303, 409], results
    db.session.commit()  # end the test's read snapshot
    held = db.session.scalars(
        sa.select(Booking).where(Booking.space_id == room.id, Booking.status == "approved")
    ).all()
    assert len(held) == 4
