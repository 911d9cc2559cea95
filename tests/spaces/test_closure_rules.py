"""Issue 10 item 1: a closure binds every decision, not only the request. Approval checks the
request's rules again; the inbox and the series page show which pending dates cannot be
approved; a closure added over approved bookings tells their organisations."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingStatus, Closure, ClosureReason, Recurrence
from tests.spaces.conftest import next_weekday


def weekly_request(space, organisation, user, first_day, count=3):
    series = service.create_request(
        space,
        organisation,
        user,
        service.BookingRequest(
            purpose="Próby chóru",
            people=10,
            first_day=first_day,
            start_time=time(17),
            end_time=time(19),
            recurrence=Recurrence.WEEKLY,
            count=count,
        ),
    )
    db.session.commit()
    return series


def close(provider, day, note="ferie zimowe"):
    db.session.add(
        Closure(
            provider_id=provider.id,
            starts_on=day,
            ends_on=day,
            reason=ClosureReason.SCHOOL_HOLIDAY,
            note=note,
        )
    )
    db.session.commit()


def statuses(series_id):
    db.session.expire_all()
    return [
        b.status
        for b in db.session.scalars(
            sa.select(Booking).where(Booking.series_id == series_id).order_by(Booking.starts_at)
        )
    ]


def test_approving_a_series_refuses_a_date_closed_since_the_request(
    client, auth, make_space, provider, organisation, ngo_owner, provider_manager, outbox
):
    space = make_space()
    first = next_weekday(2)
    series = weekly_request(space, organisation, ngo_owner, first)
    close(provider, first + timedelta(weeks=1))
    auth.login(provider_manager)

    inbox = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski").text
    assert inbox.count("nie do zatwierdzenia:") == 1
    assert "Zamknięte: ferie lub wakacje szkolne (ferie zimowe)" in inbox
    page = client.get(f"/przestrzenie/rezerwacje/{series.id}").text
    assert page.count("nie do zatwierdzenia:") == 1

    mails_before = len(outbox())
    response = client.hx_post(f"/przestrzenie/rezerwacje/{series.id}/zatwierdz")
    assert response.status_code == 409
    assert "nie może być zatwierdzony" in response.text
    assert "Zamknięte: ferie lub wakacje szkolne (ferie zimowe)" in response.text
    assert statuses(series.id) == [BookingStatus.PENDING] * 3
    assert len(outbox()) == mails_before

    # Declining the closed date with a reason, then approving the rest, works.
    closed = db.session.scalars(
        sa.select(Booking).where(Booking.series_id == series.id).order_by(Booking.starts_at)
    ).all()[1]
    client.post(
        f"/przestrzenie/rezerwacje/{series.id}/odrzuc",
        data={"occurrence": [str(closed.id)], "reason": "Ferie"},
    )
    response = client.post(f"/przestrzenie/rezerwacje/{series.id}/zatwierdz")
    assert response.status_code == 303
    assert statuses(series.id) == [
        BookingStatus.APPROVED,
        BookingStatus.DECLINED,
        BookingStatus.APPROVED,
    ]


def test_a_closure_over_approved_bookings_tells_the_organisation(
    client, auth, make_space, make_booking, organisation, provider_manager, ngo_owner, outbox
):
    space = make_space()
    day = next_weekday(2)
    booking = make_booking(space, organisation, day)
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/zamkniecia",
        data={
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "reason": "renovation",
            "note": "malowanie",
        },
        follow_redirects=True,
    )
    assert "Obejmuje 1 zatwierdzoną rezerwację: organizacje dostały wiadomość" in response.text
    told = [m for m in outbox() if m.topic == f"booking-closure:{booking.series_id}"]
    assert [m.recipient for m in told] == [ngo_owner.email]
    assert told[0].subject == "Zamknięcie w terminie Twojej rezerwacji"
    assert "remont (malowanie)" in told[0].body
    assert f"Przestrzeń „{space.name}” będzie zamknięta" in told[0].body
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.APPROVED


def test_a_closure_over_nothing_tells_nobody(client, auth, make_space, provider_manager, outbox):
    space = make_space()
    day = next_weekday(2)
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/zamkniecia",
        data={"starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "other"},
        follow_redirects=True,
    )
    assert "Dodano zamknięcie." in response.text
    assert not [m for m in outbox() if (m.topic or "").startswith("booking-closure")]
