"""Fee rooms (issue 16 item 3): NGO and full rates per hour, half day or day; the cost estimate
on the request (live with htmx and without JS), on the series page and in the mails; the
provider's settlement per organisation and period with invoice data and CSV; a request to use
the room free of charge that the provider decides."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.spaces import service
from app.spaces.details_models import FeeWaiver, SpaceDetails, WaiverStatus
from app.spaces.models import BookingStatus, TermsKind
from app.spaces.service import fees
from app.timeutil import local_today
from tests.spaces.conftest import next_weekday


@pytest.fixture
def fee_room(make_space):
    room = make_space(
        "Sala płatna",
        terms=TermsKind.FEE,
        fee_normal=Decimal("60"),
        fee_ngo=Decimal("20"),
        max_length_minutes=600,
    )
    db.session.add(
        SpaceDetails(
            space_id=room.id,
            fee_normal_half_day=Decimal("200"),
            fee_ngo_half_day=Decimal("50"),
            fee_normal_day=Decimal("350"),
            fee_ngo_day=Decimal("100"),
        )
    )
    db.session.commit()
    return room


@pytest.fixture
def verified(organisation):
    organisation.verified_at = utcnow()
    organisation.nip = "9562301234"
    organisation.street, organisation.postcode = "ul. Szeroka 1", "87-100"
    db.session.commit()
    return organisation


def test_cheapest_of_hourly_half_day_and_day(app, fee_room, verified, other_organisation):
    monday = next_weekday(0)

    def cost(organisation, start, end):
        slot = service.slot_for(monday, start, end)
        return fees.estimate(fee_room, organisation, [slot]).total

    # Verified NGO: 2 h x 20 = 40 < half day 50; 3 h = 60 > half day 50; 8 h: day 100.
    assert cost(verified, time(10), time(12)) == Decimal("40.00")
    assert cost(verified, time(10), time(13)) == Decimal("50.00")
    assert cost(verified, time(8), time(16)) == Decimal("100.00")
    # Not verified: the full rate (2 h x 60 = 120 < 200; 5 h: 300 < day 350; 10 h: 350).
    assert cost(other_organisation, time(10), time(12)) == Decimal("120.00")
    assert cost(other_organisation, time(10), time(15)) == Decimal("300.00")
    assert cost(other_organisation, time(8), time(18)) == Decimal("350.00")


def test_estimate_on_the_request_page_live_and_without_js(
    client, auth, fee_room, verified, ngo_owner
):
    auth.login(ngo_owner)
    day = next_weekday(1)
    query = f"day={day.isoformat()}&start=17:00&end=19:00&recurrence=weekly&count=3"
    page = client.get(f"/przestrzenie/sala/{fee_room.slug}/rezerwuj?{query}")
    assert "Szacowany koszt:" in page.get_data(as_text=True)
    # htmx asks the estimate for the form's values as they change.
    live = client.hx_get(
        f"/przestrzenie/sala/{fee_room.slug}/koszt?{query}&organisation={verified.id}"
    )
    body = live.get_data(as_text=True)
    assert live.status_code == 200 and 'id="cost-estimate"' in body
    assert "120,00 zł" in body and "3 terminy" in body and "stawka dla organizacji" in body
    nothing = client.hx_get(f"/przestrzenie/sala/{fee_room.slug}/koszt?day=&start=19:00&end=17:00")
    assert "Podaj dzień i godziny" in nothing.get_data(as_text=True)
    # Without JS, "Sprawdź terminy" shows it with the preview.
    preview = client.post(
        f"/przestrzenie/sala/{fee_room.slug}/rezerwuj",
        data={
            "organisation": verified.id,
            "purpose": "Warsztaty",
            "people": "10",
            "day": day.isoformat(),
            "start": "17:00",
            "end": "19:00",
            "recurrence": "weekly",
            "count": "3",
            "action": "preview",
        },
    )
    assert preview.status_code == 200 and "120,00 zł" in preview.get_data(as_text=True)


def test_estimate_on_the_series_page_and_in_the_mails(
    client, auth, fee_room, verified, ngo_owner, provider_manager, outbox
):
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/sala/{fee_room.slug}/rezerwuj",
        data={
            "organisation": verified.id,
            "purpose": "Szkolenie",
            "people": "10",
            "day": next_weekday(2).isoformat(),
            "start": "09:00",
            "end": "15:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert response.status_code == 303
    series_url = response.headers["Location"]
    assert "100,00 zł" in client.get(series_url).get_data(as_text=True)
    sent = [m for m in outbox() if m.recipient == ngo_owner.email]
    assert sent and "Szacowany koszt: 100,00 zł" in sent[-1].body
    auth.login(provider_manager)
    series_id = int(series_url.rstrip("/").rsplit("/", 1)[1])
    assert client.post(f"/przestrzenie/rezerwacje/{series_id}/zatwierdz").status_code == 303
    approval = [m for m in outbox() if m.recipient == ngo_owner.email][-1]
    assert "zatwierdzona" in approval.body and "Szacowany koszt: 100,00 zł" in approval.body


def test_free_of_charge_request_and_decision(
    client,
    auth,
    fee_room,
    verified,
    ngo_owner,
    provider_manager,
    make_booking,
    outbox,
    other_organisation,
):
    booking = make_booking(fee_room, verified, next_weekday(3), status=BookingStatus.PENDING)
    series_id = booking.series_id
    url = f"/przestrzenie/rezerwacje/{series_id}/bez-oplat"
    auth.login(ngo_owner)
    empty = client.post(url, data={"reason": " "})
    assert empty.status_code == 400
    assert "Napisz, dlaczego prosisz" in empty.get_data(as_text=True)
    assert client.post(url, data={"reason": "Otwarte spotkanie dla mieszkańców"}).status_code == 303
    again = client.post(url, data={"reason": "Jeszcze raz"})
    assert again.status_code == 409
    assert any(
        "Otwarte spotkanie dla mieszkańców" in m.body
        for m in outbox()
        if m.recipient == provider_manager.email
    )
    # The organisation cannot decide; another organisation does not even see the series.
    assert client.post(f"{url}/decyzja", data={"decision": "grant"}).status_code == 403
    auth.login(other_organisation.memberships[0].user)
    assert client.post(url, data={"reason": "x"}).status_code == 404
    auth.login(provider_manager)
    assert client.post(f"{url}/decyzja", data={"decision": "grant"}).status_code == 303
    assert client.post(f"{url}/decyzja", data={"decision": "refuse"}).status_code == 409
    db.session.expire_all()
    waiver = db.session.scalar(sa.select(FeeWaiver).where(FeeWaiver.series_id == series_id))
    assert waiver.status == WaiverStatus.GRANTED and waiver.decided_by_id == provider_manager.id
    page = client.get(f"/przestrzenie/rezerwacje/{series_id}").get_data(as_text=True)
    assert "zgodził się na bezpłatne udostępnienie" in page
    assert any(
        "zgodził się na bezpłatne" in m.body for m in outbox() if m.recipient == ngo_owner.email
    )


def test_settlement_per_organisation_with_invoice_data_and_csv(
    client,
    auth,
    fee_room,
    verified,
    other_organisation,
    provider_manager,
    make_booking,
    make_user,
    staff,
):
    today = local_today()
    first = today.replace(day=1) - timedelta(days=40)
    day = first + timedelta(days=(1 - first.weekday()) % 7)
    make_booking(fee_room, verified, day, time(9), time(12))  # 3 h: half day 50
    make_booking(fee_room, verified, day + timedelta(days=7), time(9), time(11))  # 2 h: 40
    make_booking(fee_room, other_organisation, day + timedelta(days=1), time(9), time(11))  # 120
    waived = make_booking(fee_room, other_organisation, day + timedelta(days=2), time(9), time(11))
    db.session.add(FeeWaiver(series_id=waived.series_id, reason="x", status=WaiverStatus.GRANTED))
    make_booking(fee_room, verified, day + timedelta(days=3), status=BookingStatus.CANCELLED)
    make_booking(fee_room, verified, today + timedelta(days=400))  # outside the period
    db.session.commit()
    period = (
        f"od={(day - timedelta(days=1)).isoformat()}&do={(day + timedelta(days=20)).isoformat()}"
    )
    provider = fee_room.provider
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie?{period}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "9562301234" in body and "ul. Szeroka 1, 87-100 Toruń" in body
    assert "90,00 zł" in body and "120,00 zł" in body and "210,00 zł" in body
    fragment = client.hx_get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie?{period}")
    assert "<h1" not in fragment.get_data(as_text=True)
    exported = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie.csv?{period}")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Organizacja", "Adres", "NIP"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Fundacja Razem"][2] == "9562301234"
    assert by_name["Fundacja Razem"][4:] == [
        "2",
        "5.00",
        "dla organizacji",
        "90.00",
        "0.00",
        "90.00",
    ]
    assert by_name["Stowarzyszenie Inne"][4:] == [
        "2",
        "4.00",
        "zwykła",
        "240.00",
        "120.00",
        "120.00",
    ]
    for user in (make_user("inny@example.org"), verified.memberships[0].user):
        auth.login(user)
        assert (
            client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie").status_code
            == 403
        )
        assert (
            client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie.csv").status_code
            == 403
        )
    auth.login(staff)
    assert (
        client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/rozliczenie").status_code == 200
    )


def test_default_period_is_the_previous_month():
    assert fees.default_period(date(2027, 3, 15)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert fees.default_period(date(2027, 1, 1)) == (date(2026, 12, 1), date(2026, 12, 31))
