"""A manager of provider A cannot act on provider B's requests; NGO A cannot see B's private
booking details."""

from __future__ import annotations

from datetime import time

import pytest

from app.extensions import db
from app.spaces.models import Booking, BookingStatus
from tests.spaces.conftest import next_weekday


@pytest.fixture
def other_manager(make_user, make_provider):
    manager = make_user(name="Kierownik Innej Szkoły")
    make_provider("Szkoła Podstawowa nr 2", managers=[manager])
    return manager


@pytest.fixture
def pending(make_space, make_booking, organisation):
    space = make_space()
    return make_booking(
        space, organisation, next_weekday(2), time(17), time(19), status=BookingStatus.PENDING
    )


@pytest.mark.parametrize(
    "action",
    ["zatwierdz", "odrzuc", "odwolaj"],
)
def test_manager_of_another_provider_cannot_decide(client, auth, other_manager, pending, action):
    auth.login(other_manager)
    response = client.post(
        f"/przestrzenie/rezerwacje/{pending.series_id}/{action}", data={"reason": "Nie"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Booking, pending.id).status == BookingStatus.PENDING


def test_manager_of_another_provider_cannot_see_the_inbox(client, auth, other_manager, provider):
    auth.login(other_manager)
    assert client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski").status_code == 403
    assert client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/oblozenie").status_code == 403
    assert (
        client.post(
            f"/przestrzenie/udostepniajacy/{provider.slug}/automatyczne-zatwierdzanie",
            data={"enabled": "1"},
        ).status_code
        == 403
    )


def test_other_organisation_cannot_see_private_details(
    client, auth, pending, other_organisation, organisation
):
    auth.login(other_organisation.memberships[0].user)
    assert client.get(f"/przestrzenie/rezerwacje/{pending.series_id}").status_code == 404
    assert client.post(f"/przestrzenie/terminy/{pending.id}/przenies", data={}).status_code == 404
    assert client.get(f"/przestrzenie/barter/szkola/{organisation.slug}").status_code == 404


def test_public_pages_show_only_public_titles(client, make_space, make_booking, organisation):
    space = make_space()
    day = next_weekday(2)
    make_booking(space, organisation, day, time(10), time(12), public_title="Dzień otwarty")
    make_booking(space, organisation, day, time(14), time(16))
    page = client.get(f"/przestrzenie/sala/{space.slug}?tydzien={day.isoformat()}")
    assert "Dzień otwarty" in page.text
    assert "Spotkanie" not in page.text  # the purpose stays private
    feed = client.get(f"/kalendarze/przestrzen/{space.slug}.ics")
    assert b"Dzie" in feed.data and b"Spotkanie" not in feed.data


def test_the_requesting_organisation_cannot_approve_itself(client, auth, pending, ngo_owner):
    auth.login(ngo_owner)
    assert client.get(f"/przestrzenie/rezerwacje/{pending.series_id}").status_code == 200
    assert client.post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz").status_code == 403


def test_anonymous_users_are_sent_to_login(client, pending):
    response = client.get(f"/przestrzenie/rezerwacje/{pending.series_id}")
    assert response.status_code in (302, 401)
