"""The staff home: its queues, the menu entry, the account page; staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.extensions import db
from app.organisations.models import MembershipRequest, RequestKind
from app.spaces.models import Booking, BookingSeries, BookingStatus, Space

STAFF_URLS = [
    "/urzad/",
    "/urzad/sprawozdanie",
    "/urzad/sprawozdanie?od=2025-01-01&do=2025-12-31",
    "/urzad/sprawozdanie/sector.csv",
    "/urzad/sprawozdanie/spaces.csv",
    "/urzad/sprawozdanie/volunteering.csv",
    "/urzad/sprawozdanie.pdf",
    "/urzad/weryfikacja",
]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_only(
    url, client, auth, volunteer, ngo_owner, organisation, provider_manager, provider
):
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logowanie" in response.headers["Location"]
    for user in (volunteer, ngo_owner, provider_manager):
        auth.login(user)
        assert client.get(url).status_code == 403


def test_queues_show_what_waits(client, auth, staff, make_user, make_organisation, make_provider,
                                ngo_owner, organisation):  # fmt: skip
    claimant, joiner = make_user(name="Zenon Przejmujący"), make_user(name="Jola Dołączająca")
    imported = make_organisation("Fundacja Zaimportowana", krs="0000123456")
    make_organisation(
        "Stowarzyszenie Zapomniane", profile_updated_at=utcnow() - timedelta(days=400)
    )
    make_provider("Szkoła bez Dyrekcji")
    db.session.add_all([
        MembershipRequest(organisation=imported, user=claimant, kind=RequestKind.CLAIM),
        MembershipRequest(organisation=organisation, user=joiner, kind=RequestKind.JOIN),
    ])  # fmt: skip
    # A request asked five days ago and never answered; one asked today is not late yet.
    manager_provider = make_provider("Szkoła Podstawowa nr 3")
    room = Space(provider=manager_provider, slug="sp3-sala", name="Sala 3", buffer_minutes=0)
    for days, name in ((5, "Spotkanie dawne"), (0, "Spotkanie dzisiejsze")):
        series = BookingSeries(space=room, organisation=organisation, purpose=name, people=3,
                               first_day=utcnow().date(), start_time=utcnow().time(),
                               end_time=utcnow().time(), created_at=utcnow() - timedelta(days=days))  # fmt: skip
        start = utcnow() + timedelta(days=7 + days)
        db.session.add(series)
        db.session.add(
            Booking.for_slot(
                room, start, start + timedelta(hours=1), BookingStatus.PENDING, series=series
            )
        )
    db.session.commit()

    auth.login(staff)
    html = client.get("/urzad/").text
    assert "Zenon Przejmujący" in html and "Jola Dołączająca" in html
    assert "Fundacja Razem" not in html.split('id="queue-verification"')[1].split("</section>")[0]
    assert "Stowarzyszenie Zapomniane" in html
    assert "Szkoła bez Dyrekcji" in html
    assert "Sala 3" in html and "1 termin czeka" in html
    assert html.count("Sala 3") == 1  # today's request is not late
    for link in ("/urzad/sprawozdanie", "/organizacje/prosby", "/organizacje/kompetencje",
                 "/przestrzenie/udostepniajacy/", "/otwarte-dane/"):  # fmt: skip
        assert f'href="{link}"' in html


def test_menu_entry_and_account_page_for_staff(client, auth, staff, volunteer):
    auth.login(volunteer)
    assert 'href="/urzad/"' not in client.get("/").text
    assert "Jesteś mieszkańcem i wolontariuszem" in client.get("/konto").text
    auth.login(staff)
    assert 'href="/urzad/"' in client.get("/").text
    account = client.get("/konto").text
    assert "Jesteś mieszkańcem i wolontariuszem" not in account
    assert "Jesteś pracownikiem Urzędu Miasta." in account and 'href="/urzad/"' in account
    home = client.get("/urzad/")
    assert 'aria-current="page">Urząd' in home.text
