"""The nightly retention purge, run as the worker runs it, across the clock changes: guests'
and applicants' data a year after the shift, declined requests' free text, old e-mail bodies;
what is still within its period stays, and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.accounts import retention
from app.extensions import db
from app.jobs import huey, job_name, periodic_job_names
from app.mail import OutboxMessage
from app.organisations.models import MembershipRequest, RequestKind, RequestStatus
from app.spaces.models import Booking, BookingSeries, BookingStatus
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering.models import Shift, Signup, SignupEvent, SignupStatus

JOB = "app.accounts.retention.purge_personal_data_job"


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _next_clock_change(month: int) -> date:
    year = local_today().year
    while _last_sunday(year, month) <= local_today() + timedelta(days=3):
        year += 1
    return _last_sunday(year, month)


def run_job_between(start: datetime, end: datetime) -> list[datetime]:
    """Play the scheduler minute by minute; the purge runs when its schedule matches."""
    ran = []
    moment = start.astimezone(UTC).replace(second=0, microsecond=0)
    while moment < end:
        for job in huey.read_periodic(moment.replace(tzinfo=None)):
            if job_name(job) == JOB:
                with freeze_time(moment):
                    job.execute()
                ran.append(moment)
        moment += timedelta(minutes=1)
    return ran


def test_the_purge_is_a_periodic_job(app):
    assert JOB in periodic_job_names()


@pytest.fixture
def a_year_of_data(make_opportunity, make_space, make_booking, make_user, organisation):
    """Data around ``night`` (the moment the purge runs): some past its period, some not."""

    def build(night: datetime) -> dict:
        opportunity = make_opportunity("Sprzątanie brzegów Wisły")
        old_shift = Shift(
            opportunity=opportunity,
            starts_at=night - timedelta(days=400),
            ends_at=night - timedelta(days=400) + timedelta(hours=2),
            capacity=5,
        )
        new_shift = Shift(
            opportunity=opportunity,
            starts_at=night - timedelta(days=30),
            ends_at=night - timedelta(days=30) + timedelta(hours=2),
            capacity=5,
        )
        db.session.add_all([old_shift, new_shift])
        volunteer = make_user("ola@example.org")
        db.session.autoflush = False  # the objects below join the session together
        old_guest = Signup(
            shift=old_shift, guest_name="Gość Dawny", guest_email="gosc@example.org",
            guest_phone="600100200", status=SignupStatus.ACCEPTED, message="Będę", hours=2,
        )  # fmt: skip
        new_guest = Signup(
            shift=new_shift, guest_name="Gość Świeży", guest_email="nowy@example.org",
            status=SignupStatus.ACCEPTED,
        )  # fmt: skip
        old_member = Signup(
            shift=old_shift, user=volunteer, status=SignupStatus.DECLINED, message="Mam 16 lat",
            guardian_name="Mama Oli", guardian_contact="mama@example.org",
            response_message="Komplet",
        )  # fmt: skip
        old_member.events.append(
            SignupEvent(to_status=SignupStatus.DECLINED, reason="Komplet", at=old_shift.starts_at)
        )
        db.session.add_all([old_shift, new_shift, old_guest, new_guest, old_member])
        db.session.autoflush = True
        room = make_space("Sala 5", max_days_ahead=2000, min_notice_hours=0)
        old_declined = make_booking(
            room, organisation, date(2020, 1, 6), status=BookingStatus.DECLINED
        )
        new_declined = make_booking(
            room, organisation, date(2020, 1, 7), status=BookingStatus.DECLINED
        )
        old_approved = make_booking(room, organisation, date(2020, 1, 8))
        for booking, age in ((old_declined, 100), (new_declined, 10), (old_approved, 100)):
            db.session.execute(
                sa.update(Booking).where(Booking.id == booking.id)
                .values(updated_at=night - timedelta(days=age), status_reason="Sala zajęta")
            )  # fmt: skip
        for age, sent in ((40, True), (40, False), (10, True)):
            db.session.add(
                OutboxMessage(
                    recipient="ola@example.org", subject=f"Temat {age}", body="Treść z imieniem",
                    created_at=night - timedelta(days=age),
                    sent_at=night - timedelta(days=age) if sent else None,
                )
            )  # fmt: skip
        db.session.add(
            MembershipRequest(
                organisation=organisation, user=volunteer, kind=RequestKind.JOIN,
                status=RequestStatus.DECLINED, message="Chcę pomagać",
                decided_at=night - timedelta(days=400),
            )
        )  # fmt: skip
        db.session.commit()
        return {
            "signups": (old_guest.id, new_guest.id, old_member.id),
            "series": (old_declined.series_id, new_declined.series_id, old_approved.series_id),
        }

    return build


def snapshot() -> list:
    db.session.expire_all()
    rows = []
    for model in (Signup, SignupEvent, BookingSeries, Booking, OutboxMessage, MembershipRequest):
        rows += [
            tuple(getattr(row, c.key) for c in model.__table__.columns if c.key != "updated_at")
            for row in db.session.scalars(sa.select(model).order_by(model.id))
        ]
    return rows


@pytest.mark.parametrize("month", [3, 10], ids=["march-change", "october-change"])
def test_purge_runs_at_half_past_three_warsaw_and_twice_changes_nothing(month, a_year_of_data):
    sunday = _next_clock_change(month)  # the clocks change at 02:00/03:00 that night
    night = local_to_utc(sunday, time(3, 30))
    ids = a_year_of_data(night)

    ran = run_job_between(
        local_to_utc(sunday - timedelta(days=1), time(12)), local_to_utc(sunday, time(12))
    )
    assert ran == [night]
    assert (to_local(night).hour, to_local(night).minute) == (3, 30)

    db.session.expire_all()
    old_guest, new_guest, old_member = (db.session.get(Signup, i) for i in ids["signups"])
    assert (old_guest.guest_name, old_guest.guest_email, old_guest.guest_phone) == (
        None,
        None,
        None,
    )
    assert old_guest.message == "" and old_guest.anonymised_at == night
    assert old_guest.hours == 2 and old_guest.status == SignupStatus.ACCEPTED  # hours stay
    assert new_guest.guest_name == "Gość Świeży"  # within its year
    assert old_member.user is not None  # the volunteer's own history stays
    assert (old_member.message, old_member.response_message) == ("", "")
    assert (old_member.guardian_name, old_member.guardian_contact) == (None, None)
    assert [e.reason for e in old_member.events] == [""]

    old_declined, new_declined, old_approved = (
        db.session.get(BookingSeries, i) for i in ids["series"]
    )
    assert old_declined.purpose == "" and old_declined.occurrences[0].status_reason == ""
    assert old_declined.occurrences[0].status == BookingStatus.DECLINED
    assert new_declined.purpose == "Spotkanie"
    assert old_approved.purpose == "Spotkanie"  # only declined requests

    mail = {m.subject or f"purged-{m.id}": m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert sorted(s for s in mail if s.startswith("Temat")) == ["Temat 10"]
    assert all(m.body == "" for s, m in mail.items() if s.startswith("purged"))
    assert len(mail) == 3  # the record that they were sent stays
    request = db.session.scalars(sa.select(MembershipRequest)).one()
    assert request.message == "" and request.status == RequestStatus.DECLINED

    before = snapshot()
    with freeze_time(night):
        assert set(retention.purge_personal_data_job.call_local().values()) == {0}
    assert snapshot() == before
    # The next night nothing new is due either.
    assert run_job_between(night + timedelta(hours=23), night + timedelta(hours=25)) == [
        night + timedelta(days=1)
    ]
    assert snapshot() == before


def test_the_periods_are_settings_and_the_command_reports(app, a_year_of_data):
    night = datetime.now(UTC)
    a_year_of_data(night)
    app.config.update(PERSONAL_DATA_RETENTION_DAYS=10, OUTBOX_RETENTION_DAYS=5)
    result = app.test_cli_runner().invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ") for line in result.output.strip().splitlines())
    assert lines["volunteering_signups"] == "3"  # the new guest's 30 days are now past 10
    assert lines["outbox"] == "3"  # 10 days > 5, but never under the 3 days of delivery retries
    assert lines["declined_booking_requests"] == "1"
    again = app.test_cli_runner().invoke(args=["purge-personal-data"])
    assert set(dict(line.split(": ") for line in again.output.strip().splitlines()).values()) == {
        "0"
    }
