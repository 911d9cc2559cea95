"""The daily re-confirmation job across a real term change, run as the worker runs it: no
request context, one transaction per series."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import has_request_context
from freezegun import freeze_time

from app.extensions import db
from app.mail import OutboxMessage
from app.spaces import tasks
from app.spaces.models import Booking, BookingSeries, BookingStatus, Recurrence
from app.spaces.service import slot_for
from app.timeutil import WARSAW


@pytest.fixture(autouse=True)
def request_context(app):
    """Unlike the rest of tests/spaces: no request around the job (the worker has none)."""
    assert not has_request_context()
    yield


@pytest.fixture
def weekly_series(app, make_space, organisation):
    """Robotics every Monday from late January into the summer term, confirmed for winter."""
    with app.test_request_context():
        room = make_space("Pracownia", max_days_ahead=800, min_notice_hours=0)
        series = BookingSeries(
            space=room,
            organisation=organisation,
            purpose="Koło robotyki",
            people=10,
            recurrence=Recurrence.WEEKLY,
            first_day=date(2027, 1, 25),
            count=12,
            start_time=time(16),
            end_time=time(18),
            confirmed_term="2026-Z",
        )
        for week in range(12):
            starts_at, ends_at = slot_for(
                date(2027, 1, 25) + timedelta(weeks=week), time(16), time(18)
            )
            db.session.add(
                Booking.for_slot(room, starts_at, ends_at, BookingStatus.APPROVED, series=series)
            )
        db.session.commit()
        return series


def _topics(prefix: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.topic.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


def test_the_daily_job_asks_once_and_releases_once_across_a_term_change(
    app, weekly_series, ngo_owner, provider_manager
):
    """The job runs where the scheduler runs it (06:00 Warsaw, no request), every day from the
    end of January to March: asked on 1 February, released on 16 February, nothing twice."""
    job = tasks.reconfirm_standing_bookings
    runs, ran_at = {}, []
    moment = datetime(2027, 1, 28, tzinfo=UTC)
    while moment < datetime(2027, 3, 5, tzinfo=UTC):
        if job.task_class().validate_datetime(moment.replace(tzinfo=None)):
            with freeze_time(moment):
                runs[moment.astimezone(WARSAW).date()] = job.call_local()
                ran_at.append(moment.astimezone(WARSAW))
        moment += timedelta(hours=1)
    assert len(runs) == len(ran_at) == 36  # once a day
    assert {(m.hour, m.minute) for m in ran_at} == {(6, 0)}  # at 06:00 Warsaw time
    acted = {day: result for day, result in runs.items() if result != {"asked": 0, "released": 0}}
    assert acted == {
        date(2027, 2, 1): {"asked": 1, "released": 0},
        date(2027, 2, 16): {"asked": 0, "released": 1},
    }
    [asked] = _topics("reconfirm:")
    assert asked.recipient == ngo_owner.email
    # An absolute link, built outside any request from SERVER_NAME.
    assert f"http://localhost/przestrzenie/rezerwacje/{weekly_series.id}" in asked.body
    released = _topics("booking-released")
    assert sorted(m.recipient for m in released) == sorted(
        [ngo_owner.email, provider_manager.email]
    )
    statuses = db.session.scalars(
        sa.select(Booking.status)
        .where(Booking.series_id == weekly_series.id)
        .order_by(Booking.starts_at)
    ).all()
    # Occurrences up to 15 February stay; from the release day on they are given back.
    assert statuses == [BookingStatus.APPROVED] * 4 + [BookingStatus.RELEASED] * 8
    reasons = db.session.scalars(
        sa.select(Booking.status_reason).where(Booking.status == BookingStatus.RELEASED)
    ).all()
    assert set(reasons) == {"Nie potwierdzono stałej rezerwacji na nowy semestr."}
    # The command runs the same function, and finds nothing left to do.
    with freeze_time(datetime(2027, 3, 10, 5, tzinfo=UTC)):
        result = CliRunner().invoke(app.cli, ["spaces", "reconfirm"])
    assert "asked: 0, released: 0" in result.output
