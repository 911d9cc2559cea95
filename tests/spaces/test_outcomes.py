"""What the user sees after an htmx action: the success message in that same response (the
flash region out of band), and a refusal's precise reason with a status htmx swaps (409/422),
with nothing changed."""

from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingStatus,
    Closure,
    ClosureReason,
    ProviderManager,
    TermsKind,
)
from tests.spaces.conftest import next_weekday


def flash_region(response) -> str:
    """The out-of-band message region of a fragment ('' when there is none)."""
    match = re.search(
        r'<div id="flash-messages"[^>]*hx-swap-oob="[^"]+"[^>]*>(.*?)</div>', response.text, re.S
    )
    return match.group(1) if match else ""


def fresh(booking: Booking) -> Booking:
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Booking, booking.id)


@pytest.fixture
def holidays(provider):
    """Winter holidays (ferie) closing every space of the provider in the week of the tests."""

    def close(day):
        closure = Closure(
            provider_id=provider.id,
            starts_on=day - timedelta(days=1),
            ends_on=day + timedelta(days=1),
            reason=ClosureReason.SCHOOL_HOLIDAY,
        )
        db.session.add(closure)
        db.session.commit()
        return closure

    return close


def test_approving_shows_the_message_with_the_fragment(
    client, auth, make_space, make_booking, organisation, provider_manager
):
    booking = make_booking(
        make_space(), organisation, next_weekday(2), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    response = client.hx_post(f"/przestrzenie/rezerwacje/{booking.series_id}/zatwierdz")
    assert response.status_code == 200 and "HX-Redirect" not in response.headers
    assert "Zatwierdzono." in flash_region(response)
    assert fresh(booking).status == BookingStatus.APPROVED
    # The message was shown; it does not turn up again on the next page.
    assert "Zatwierdzono." not in client.get("/przestrzenie/moje-rezerwacje").text


def test_readding_a_date_closed_for_ferie_says_why(
    client, auth, make_space, make_booking, organisation, ngo_owner, holidays
):
    day = next_weekday(2)
    booking = make_booking(make_space(), organisation, day, status=BookingStatus.CANCELLED)
    holidays(day)
    auth.login(ngo_owner)
    response = client.hx_post(f"/przestrzenie/terminy/{booking.id}/dodaj-ponownie")
    assert response.status_code == 409
    assert "Zamknięte: ferie lub wakacje szkolne" in response.text
    booking = fresh(booking)
    assert booking.status == BookingStatus.CANCELLED and booking.history == []


def test_moving_into_a_closure_says_why(
    client, auth, make_space, make_booking, organisation, ngo_owner, holidays
):
    day = next_weekday(2)
    booking = make_booking(make_space(), organisation, day, status=BookingStatus.APPROVED)
    starts_at = booking.starts_at
    target = day + timedelta(weeks=1)
    holidays(target)
    auth.login(ngo_owner)
    response = client.hx_post(
        f"/przestrzenie/terminy/{booking.id}/przenies",
        data={"day": target.isoformat(), "start": "10:00", "end": "12:00"},
    )
    assert response.status_code == 422
    assert "Zamknięte: ferie lub wakacje szkolne" in response.text
    booking = fresh(booking)
    assert (booking.status, booking.starts_at, booking.sequence) == (
        BookingStatus.APPROVED,
        starts_at,
        0,
    )


def test_declining_with_nothing_pending_says_so(
    client, auth, make_space, make_booking, organisation, provider_manager
):
    booking = make_booking(
        make_space(), organisation, next_weekday(2), status=BookingStatus.APPROVED
    )
    auth.login(provider_manager)
    response = client.hx_post(
        f"/przestrzenie/rezerwacje/{booking.series_id}/odrzuc", data={"reason": "Remont"}
    )
    assert response.status_code == 409
    assert "Nie ma oczekujących terminów do odrzucenia." in response.text
    booking = fresh(booking)
    assert booking.status == BookingStatus.APPROVED and booking.history == []


def test_a_new_manager_is_announced_in_the_same_response(client, auth, staff, provider, make_user):
    head = make_user("dyrektorka@sp7.torun.pl", name="Dyrektorka")
    auth.login(staff)
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy"
    added = client.hx_post(url, data={"email": head.email})
    assert added.status_code == 200 and "HX-Redirect" not in added.headers
    assert "dyrektorka@sp7.torun.pl zarządza teraz: Szkoła Podstawowa nr 7." in flash_region(added)
    assert "dyrektorka@sp7.torun.pl" in added.text.split('id="flash-messages"')[0]  # the list
    again = client.hx_post(url, data={"email": head.email})
    assert again.status_code == 422
    assert "Ta osoba już zarządza tym udostępniającym." in again.text
    db.session.commit()
    count = sa.select(sa.func.count()).select_from(ProviderManager)
    assert db.session.scalar(count.where(ProviderManager.user_id == head.id)) == 1
    # Nothing left over for the next, unrelated page.
    assert "zarządza teraz" not in client.get("/przestrzenie/udostepniajacy/").text


def test_a_barter_delivery_is_announced_in_the_same_response(
    client, auth, make_space, make_booking, organisation, provider, provider_manager
):
    room = make_space(terms=TermsKind.BARTER, barter_hours_per_hour=Decimal(1))
    past = next_weekday(2) - timedelta(weeks=3)
    make_booking(room, organisation, past, time(16), time(18))
    auth.login(provider_manager)
    url = f"/przestrzenie/barter/{provider.slug}/{organisation.slug}"
    refused = client.hx_post(url, data={"day": past.isoformat(), "hours": "0", "description": "x"})
    assert refused.status_code == 422
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BarterDelivery)) == 0
    recorded = client.hx_post(
        url, data={"day": past.isoformat(), "hours": "1.5", "description": "Warsztaty"}
    )
    assert recorded.status_code == 200 and "HX-Redirect" not in recorded.headers
    assert "Zapisano zrealizowane zajęcia." in flash_region(recorded)
    assert "Warsztaty" in recorded.text
    assert "Zapisano zrealizowane zajęcia." not in client.get(url).text
