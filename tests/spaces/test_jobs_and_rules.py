"""The daily re-confirmation job across a real term change, the no-show rule around Warsaw
midnight, and names unique case-insensitively (the database decides)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.domain import DomainError
from app.extensions import db
from app.mail import OutboxMessage
from app.spaces import service, tasks
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    ProviderKind,
    Recurrence,
    Space,
)
from app.spaces.service import slot_for
from app.timeutil import WARSAW, local_to_utc, local_today


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
    from click.testing import CliRunner

    with freeze_time(datetime(2027, 3, 10, 5, tzinfo=UTC)):
        result = CliRunner().invoke(app.cli, ["spaces", "reconfirm"])
    assert "asked: 0, released: 0" in result.output


def test_no_show_is_offered_only_once_the_booking_began_around_warsaw_midnight(
    client, auth, make_space, make_booking, organisation, provider_manager
):
    """A booking at 00:30 Warsaw time starts at 22:30 or 23:30 UTC the day before. At 23:45 that
    day the old template compared the UTC date with Warsaw's 'today' and offered 'Nie
    skorzystano' for a booking that had not begun (and the service then refused it)."""
    room = make_space(hours=None)
    day = local_today() + timedelta(days=3)
    booking = make_booking(room, organisation, day, time(0, 30), time(1, 30))
    auth.login(provider_manager)
    url = f"/przestrzenie/rezerwacje/{booking.series_id}"
    with freeze_time(local_to_utc(day - timedelta(days=1), time(23, 45))):
        assert booking.starts_at.date() < day  # the UTC date is the day before
        assert "Nie skorzystano" not in client.get(url).text
        refused = client.post(f"/przestrzenie/terminy/{booking.id}/nieobecnosc")
        assert refused.status_code == 409
    with freeze_time(local_to_utc(day, time(0, 45))):  # begun
        assert "Nie skorzystano" in client.get(url).text
        assert client.post(f"/przestrzenie/terminy/{booking.id}/nieobecnosc").status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.NO_SHOW


def test_names_are_unique_whatever_their_case_even_beyond_ascii(provider):
    service.create_space(provider, service.SpaceDescription(name="Łąkowa sala", kind="room"))
    with pytest.raises(DomainError) as refused:
        service.create_space(
            provider, service.SpaceDescription(name="  łąkowa  SALA ", kind="room")
        )
    assert (str(refused.value), refused.value.field) == (
        "Ten udostępniający ma już przestrzeń o tej nazwie.",
        "name",
    )
    # The session is still usable: the refusal rolled back only its own savepoint.
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 1
    with pytest.raises(DomainError) as refused:
        service.create_provider("SZKOŁA PODSTAWOWA NR 7", ProviderKind.SCHOOL)
    assert str(refused.value) == "Udostępniający o tej nazwie już istnieje."
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 1


def test_the_database_refuses_a_duplicate_name_written_past_the_service(provider):
    """No check-then-insert: even a write that skips the service meets the constraint."""
    db.session.add(Space(provider=provider, name="Aula", slug="aula-1"))
    db.session.commit()
    db.session.add(Space(provider=provider, name="AULA", slug="aula-2"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
