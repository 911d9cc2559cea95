"""The periodic jobs of reminders across their real calendar (DST included), run as the
worker runs them: no request context, one transaction per item."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import has_request_context
from freezegun import freeze_time

from app.extensions import db
from app.spaces import service, tasks
from app.spaces.models import Booking, BookingSeries, BookingStatus, Recurrence
from app.spaces.service import slot_for
from app.timeutil import WARSAW
from tests.spaces.test_reminders_and_releases import _mails


@pytest.fixture(autouse=True)
def request_context(app):
    """Unlike the rest of tests/spaces: no request around the job (the worker has none)."""
    assert not has_request_context()
    yield


def _run_hourly(job, start: datetime, end: datetime) -> list[datetime]:
    """Run ``job`` wherever the scheduler would between ``start`` and ``end`` (UTC), checked
    every 15 minutes, outside any request as the worker runs it. Returns when it ran."""
    ran, moment = [], start
    while moment < end:
        if job.task_class().validate_datetime(moment.replace(tzinfo=None)):
            with freeze_time(moment):
                job.call_local()
            ran.append(moment)
        moment += timedelta(minutes=15)
    return ran


@pytest.fixture
def daily_evenings(app, make_space, organisation):
    """A booking at 18:00 Warsaw time every day over the October change to winter time."""
    with app.test_request_context():
        room = make_space("Sala prób", max_days_ahead=800, min_notice_hours=0)
        bookings = []
        for offset in range(7):
            day = date(2026, 10, 22) + timedelta(days=offset)
            series = BookingSeries(
                space=room,
                organisation=organisation,
                purpose="Próba chóru",
                people=12,
                recurrence=Recurrence.ONCE,
                first_day=day,
                start_time=time(18),
                end_time=time(20),
            )
            starts_at, ends_at = slot_for(day, time(18), time(20))
            bookings.append(
                Booking.for_slot(room, starts_at, ends_at, BookingStatus.APPROVED, series=series)
            )
        db.session.add_all(bookings)
        db.session.commit()
        return [b.id for b in bookings]


def test_the_hourly_reminder_job_sends_each_reminder_once_48_hours_before_across_dst(
    app, daily_evenings, ngo_owner
):
    """The job runs at a quarter past every hour, Warsaw time (twice at 02:15 on the night the
    clocks go back); each booking gets one reminder, between 47 and 48 hours before it."""
    assert not has_request_context()
    ran = _run_hourly(
        tasks.send_booking_reminders,
        datetime(2026, 10, 19, 22, tzinfo=UTC),
        datetime(2026, 10, 29, 0, tzinfo=UTC),
    )
    assert {m.astimezone(WARSAW).minute for m in ran} == {15}
    # 25 hours on 25 October (the extra hour), so 25 runs that Warsaw day.
    assert sum(1 for m in ran if m.astimezone(WARSAW).date() == date(2026, 10, 25)) == 25
    reminders = _mails("booking-reminder:")
    assert len(reminders) == len(daily_evenings)
    assert {m.recipient for m in reminders} == {ngo_owner.email}
    for booking_id in daily_evenings:
        booking = db.session.get(Booking, booking_id)
        lead = booking.starts_at - booking.reminder_sent_at
        assert timedelta(hours=47) <= lead <= timedelta(hours=48), (booking, lead)
    body = reminders[0].body
    assert "Przypominamy o rezerwacji „Sala prób”" in body
    assert re.search(r"http://localhost/przestrzenie/przypomnienie/\S+", body)


def test_the_daily_pending_reminder_tells_providers_once(
    app, make_space, make_booking, organisation, provider, provider_manager
):
    """Requests waiting longer than the provider's setting (else the global 3 days) are
    listed once in one mail per provider, at 07:30 Warsaw time every day."""
    with app.test_request_context():
        room = make_space("Pracownia")
    with freeze_time(datetime(2026, 11, 2, 9, tzinfo=UTC)), app.test_request_context():
        waiting = make_booking(room, organisation, date(2026, 12, 10), status=BookingStatus.PENDING)
    ran = _run_hourly(
        tasks.remind_providers_of_pending_requests,
        datetime(2026, 11, 2, 0, tzinfo=UTC),
        datetime(2026, 11, 10, 0, tzinfo=UTC),
    )
    assert len(ran) == 8 and {(m.astimezone(WARSAW).hour, m.minute) for m in ran} == {(7, 30)}
    [mail] = _mails("booking-pending-reminder:")
    assert mail.recipient == provider_manager.email
    reminded_at = db.session.get(BookingSeries, waiting.series_id).pending_reminded_at
    assert reminded_at.astimezone(WARSAW).date() == date(2026, 11, 6)  # more than 3 days
    assert "Fundacja Razem: Pracownia" in mail.body
    assert f"/przestrzenie/rezerwacje/{waiting.series_id}" in mail.body
    # A provider's own setting: 10 days.
    provider.pending_reminder_days = 10
    db.session.commit()
    with freeze_time(datetime(2026, 11, 3, 9, tzinfo=UTC)), app.test_request_context():
        make_booking(room, organisation, date(2026, 12, 11), status=BookingStatus.PENDING)
    with freeze_time(datetime(2026, 11, 10, 6, 30, tzinfo=UTC)):
        assert service.run_pending_reminders() == 0
    with freeze_time(datetime(2026, 11, 13, 10, tzinfo=UTC)):
        assert service.run_pending_reminders() == 1
