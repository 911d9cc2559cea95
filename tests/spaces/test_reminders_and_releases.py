"""Reminders 48 h before with one-click "potwierdzam / zwalniam", the released date offered to
those waiting, the no-show rule and its ban at every entry point, and reminders to providers
of requests that wait. The periodic jobs run across their real calendar, DST included."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.mail import OutboxMessage
from app.spaces import service
from app.spaces.models import Booking, BookingStatus, SpaceBan
from tests.spaces.conftest import next_weekday


def _mails(prefix: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.topic.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


def _reminder_link(outbox_message) -> str:
    return re.search(r"http://localhost(/przestrzenie/przypomnienie/\S+)", outbox_message.body)[1]


@pytest.fixture
def reminded(
    make_space, make_booking, organisation, other_organisation, make_organisation, make_user
):
    """An approved booking in three days whose reminder was sent, and two waiting for its
    slot: a pending request and a date skipped because the slot was taken."""
    room = make_space("Sala widowiskowa")
    day = next_weekday(3)
    booking = make_booking(room, organisation, day, time(17), time(19))
    pending = make_booking(
        room, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING
    )
    third = make_organisation("Koło Gospodyń", owner=make_user(name="Przewodnicząca"))
    skipped = make_booking(room, third, day, time(16), time(18), status=BookingStatus.SKIPPED)
    service.operations.send_reminder(booking.id, utcnow())
    db.session.commit()
    return booking, pending, skipped


def test_releasing_from_the_reminder_offers_the_date_to_those_waiting(
    client, reminded, outbox, provider_manager, other_organisation
):
    booking, pending, skipped = reminded
    [reminder] = _mails("booking-reminder:")
    link = _reminder_link(reminder)
    page = client.get(link)  # no login
    assert page.status_code == 200
    assert "Potwierdzam" in page.text and "Zwalniam termin" in page.text
    db.session.commit()
    assert db.session.get(Booking, booking.id).status == BookingStatus.APPROVED  # GET: nothing
    # CSRF is checked as on every POST.
    assert client.post(f"{link}/zwalniam", csrf=False).status_code == 400
    response = client.post(f"{link}/zwalniam", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Termin zwolniony" in response.text and 'role="status"' in response.text
    db.session.commit()
    released = db.session.get(Booking, booking.id)
    assert released.status == BookingStatus.RELEASED
    assert released.history[-1].actor_id is None
    assert "odpowiedź na przypomnienie" in released.status_reason
    assert [m.recipient for m in _mails("booking-released:")] == [
        "wlasciciel@example.org",
        provider_manager.email,
    ]
    offers = _mails(f"booking-offer:{booking.id}:")
    assert len(offers) == 2
    by_series = {int(m.topic.rsplit(":", 1)[1]): m for m in offers}
    assert "Twój wniosek czeka na decyzję" in by_series[pending.series_id].body
    assert "możesz go teraz dodać ponownie" in by_series[skipped.series_id].body
    # A second release says why not, and changes nothing.
    again = client.post(f"{link}/zwalniam")
    assert again.status_code == 409 and "nie można już zwolnić" in again.text
    assert client.get("/przestrzenie/przypomnienie/nie-ten-token").status_code == 404


def test_confirming_from_the_reminder_records_it(client, reminded):
    booking, _pending, _skipped = reminded
    link = _reminder_link(_mails("booking-reminder:")[0])
    response = client.post(f"{link}/potwierdzam")
    assert response.status_code == 200 and "potwierdzono" in response.text
    db.session.commit()
    confirmed = db.session.get(Booking, booking.id)
    assert confirmed.status == BookingStatus.APPROVED
    assert confirmed.attendance_confirmed_at is not None


def test_two_no_shows_ban_new_requests_at_every_entry_point(
    client, auth, make_space, make_booking, organisation, ngo_owner, provider, provider_manager
):
    """CAL's own rule: two no-shows within a year, a three-month ban on new requests; the
    organisation is told each time; the ban is enforced on a request and on a re-add."""
    provider.no_show_limit, provider.no_show_ban_days = 2, 90
    db.session.commit()
    room = make_space("Sala warsztatowa", min_notice_hours=0)
    past = [make_booking(room, organisation, date.today() - timedelta(days=d)) for d in (10, 3)]
    later = make_booking(room, organisation, next_weekday(2), status=BookingStatus.CANCELLED)
    auth.login(provider_manager)
    for booking in past:
        response = client.post(f"/przestrzenie/terminy/{booking.id}/nieobecnosc")
        assert response.status_code == 303
    told = _mails("booking-no-show:")
    assert len(told) == 2 and {m.recipient for m in told} == {ngo_owner.email}
    assert "1 z 2 dopuszczalnych" in told[0].body
    assert "nie będą przyjmowane do" in told[1].body
    [ban] = db.session.scalars(sa.select(SpaceBan)).all()
    assert (ban.ends_at - ban.starts_at) == timedelta(days=90)
    auth.login(ngo_owner)
    refused = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Warsztaty",
            "people": "5",
            "day": next_weekday(4).isoformat(),
            "start": "10:00",
            "end": "12:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert refused.status_code == 400
    # The page says the ban (and its end) in place of the form.
    assert "nie przyjmuje nowych wniosków organizacji Fundacja Razem" in refused.text
    assert "Wniosek będzie można złożyć po zakończeniu blokady." in refused.text
    readd = client.post(f"/przestrzenie/terminy/{later.id}/dodaj-ponownie")
    assert readd.status_code == 409
    assert "nie przyjmuje nowych wniosków" in readd.text
    db.session.commit()
    assert db.session.get(Booking, later.id).status == BookingStatus.CANCELLED
    # The provider lifts the ban; requests are accepted again.
    auth.login(provider_manager)
    rules = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/nieobecnosci")
    assert "Fundacja Razem" in rules.text
    assert client.post(f"/przestrzenie/blokady/{ban.id}/znies").status_code == 303
    db.session.commit()
    assert service.active_ban(provider.id, organisation.id) is None


def test_the_no_show_rule_is_the_providers_setting(
    client, auth, make_provider, make_user, provider, provider_manager
):
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/nieobecnosci"
    auth.login(provider_manager)
    bad = client.post(url, data={"no_show_limit": "0", "no_show_ban_days": "90"})
    assert bad.status_code == 400
    saved = client.post(
        url, data={"no_show_limit": "2", "no_show_ban_days": "90", "pending_reminder_days": "5"}
    )
    assert saved.status_code == 303
    db.session.commit()
    assert (provider.no_show_limit, provider.pending_reminder_days) == (2, 5)
    other = make_user(name="Inny")
    make_provider(managers=[other])
    auth.login(other)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"no_show_ban_days": "1"}).status_code == 403
