"""A release from the reminder: the organisation opens the link in the reminder mail (no
login), sees the booking, clicks "Zwalniam termin"; the date is released and the organisation
waiting for it is told. With JavaScript (htmx swaps the answer in place) and without it."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.mail import OutboxMessage
from app.organisations.models import Organisation
from app.spaces.models import Booking, BookingSeries, BookingStatus, Recurrence, Space
from app.spaces.service import operations, slot_for
from app.timeutil import local_today
from tests.browser.harness import wait_for_htmx

pytestmark = pytest.mark.browser


def _booking_with_a_reminder(app, days_ahead: int) -> tuple[int, int, str]:
    """An approved evening booking in CAL's workshop room, a competing pending request, and
    the reminder mail; returns the two occurrences' ids and the link in the mail."""
    with app.test_request_context():
        space = db.session.scalar(sa.select(Space).where(Space.slug == "cal-sala-warsztatowa"))
        holder, waiting = (
            db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
            for slug in ("fundacja-razem-dla-seniora", "stowarzyszenie-rubinkowo-sasiedzi")
        )
        day = local_today() + timedelta(days=days_ahead)
        ids = []
        for organisation, status, start in (
            (holder, BookingStatus.APPROVED, time(20)),
            (waiting, BookingStatus.PENDING, time(20, 30)),
        ):
            series = BookingSeries(
                space=space,
                organisation=organisation,
                purpose=f"Próba wieczorna {days_ahead}",
                people=8,
                recurrence=Recurrence.ONCE,
                first_day=day,
                start_time=start,
                end_time=time(21, 30),
            )
            booking = Booking.for_slot(
                space, *slot_for(day, start, time(21, 30)), status, series=series
            )
            db.session.add(booking)
            db.session.flush()
            ids.append(booking.id)
        operations.send_reminder(ids[0], utcnow())
        db.session.commit()
        body = db.session.scalar(
            sa.select(OutboxMessage.body).where(OutboxMessage.topic == f"booking-reminder:{ids[0]}")
        )
        link = re.search(r"https?://[^/\s]+(/przestrzenie/przypomnienie/\S+)", body)[1]
        db.session.remove()
        return ids[0], ids[1], link


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_release_from_the_reminder_link(javascript, new_context, demo_server):
    released_id, waiting_id, link = _booking_with_a_reminder(
        demo_server.app, 300 + (1 if javascript else 2)
    )
    page = new_context(javascript=javascript).new_page()
    page.goto(link)
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Rezerwacja: CAL 2.Piętro – sala warsztatowa"
    )
    assert page.get_by_text("Czy skorzystacie z tej rezerwacji?").is_visible()
    page.get_by_role("button", name="Zwalniam termin").click()
    if javascript:
        wait_for_htmx(page)
    else:
        page.wait_for_load_state("load")
    status = page.get_by_role("status").filter(has_text="Termin zwolniony")
    assert status.count() >= 1
    assert page.get_by_role("button", name="Zwalniam termin").count() == 0
    with demo_server.app.app_context():
        assert db.session.get(Booking, released_id).status == BookingStatus.RELEASED
        waiting = db.session.get(Booking, waiting_id)
        offer = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.topic == f"booking-offer:{released_id}:{waiting.series_id}"
            )
        )
        assert offer is not None and "termin jest teraz wolny" in offer.body
        db.session.remove()
