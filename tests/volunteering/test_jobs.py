"""The periodic jobs across their real calendar (Warsaw time, across the clock changes): the
day-before reminder at 18:00, the Monday digest at 08:00; a second run sends nothing again, and
a failure on one item loses neither the others nor itself (the next run sends it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.extensions import db
from app.jobs import huey, job_name, periodic_job_names
from app.mail import OutboxMessage
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering import service, tasks
from app.volunteering.models import Signup
from app.volunteering.service import notifications

JOBS = "app.volunteering.tasks."


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _next_clock_change(month: int) -> date:
    year = local_today().year
    while _last_sunday(year, month) <= local_today() + timedelta(days=3):
        year += 1
    return _last_sunday(year, month)


def run_jobs_between(start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    """Play the scheduler minute by minute from ``start`` to ``end`` (UTC): every volunteering
    job whose schedule matches a minute runs then, with the clock frozen at that minute (except
    the list's ten-minute refresh, tests/volunteering/test_listing_columns.py)."""
    ran = []
    moment = start.astimezone(UTC).replace(second=0, microsecond=0)
    while moment < end:
        for job in huey.read_periodic(moment.replace(tzinfo=None)):
            if job_name(job).startswith(JOBS) and job_name(job) != f"{JOBS}refresh_listing":
                with freeze_time(moment):
                    job.execute()
                ran.append((job_name(job).removeprefix(JOBS), moment))
        moment += timedelta(minutes=1)
    return ran


def _reminders() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.topic.startswith("volunteering-reminder:"))
            .order_by(OutboxMessage.id)
        )
    )


def test_the_jobs_are_registered_with_the_worker(app):
    names = set(periodic_job_names())
    assert {f"{JOBS}send_reminders", f"{JOBS}send_digest"} <= names


@pytest.mark.parametrize("month", [3, 10], ids=["march-change", "october-change"])
def test_reminder_goes_out_at_18_warsaw_the_day_before_across_the_clock_change(
    month, make_opportunity, make_shift, volunteer
):
    sunday = _next_clock_change(month)  # the clocks change in the night before 18:00
    monday = sunday + timedelta(days=1)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(monday, time(10, 0)))
    service.sign_up(shift.id, user=volunteer, birth_year=1990)
    db.session.commit()

    day_start, day_end = local_to_utc(sunday, time(0, 0)), local_to_utc(monday, time(0, 0))
    ran = run_jobs_between(day_start, day_end)

    at_six = local_to_utc(sunday, time(18, 0))
    assert ran == [("send_reminders", at_six)]
    # 18:00 in Warsaw is 16:00 UTC in summer time (after March), 17:00 in winter time.
    assert at_six.hour == (16 if month == 3 else 17)
    db.session.expire_all()
    reminders = _reminders()
    assert [m.recipient for m in reminders] == [volunteer.email]
    assert reminders[0].subject.startswith("Przypomnienie: jutro")
    assert "10:00" in reminders[0].body

    # The next evening the shift is today, not tomorrow; running it again changes nothing.
    next_evening = run_jobs_between(day_end + timedelta(hours=15), day_end + timedelta(hours=20))
    assert [name for name, _moment in next_evening] == ["send_reminders"]
    with freeze_time(at_six):
        assert tasks.send_reminders.call_local() == (0, 0)
    db.session.expire_all()
    assert len(_reminders()) == 1


def test_digest_goes_out_on_monday_at_8_and_only_once(
    make_opportunity, make_shift, make_user, make_volunteer_profile, outbox
):
    keen = make_user(locale="en")
    make_volunteer_profile(keen, interests=["ecology_animals"], digest_opt_in=True)
    make_shift(
        make_opportunity("Sprzątanie lasu na Barbarce", sphere="ecology_animals"),
        starts_in=timedelta(days=12),
    )
    start = datetime.now(UTC)
    ran = run_jobs_between(start, start + timedelta(days=7))

    digest_runs = [moment for name, moment in ran if name == "send_digest"]
    assert len(digest_runs) == 1
    local = to_local(digest_runs[0])
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)  # Monday 08:00 Warsaw
    db.session.expire_all()
    digests = [m for m in outbox() if (m.topic or "").startswith("volunteering-digest:")]
    assert [m.recipient for m in digests] == [keen.email]
    assert "Sprzątanie lasu na Barbarce" in digests[0].body
    # Run again at the same moment: it is not due again for a week.
    with freeze_time(digest_runs[0]):
        assert tasks.send_digest.call_local() == 0
    db.session.expire_all()
    assert len([m for m in outbox() if (m.topic or "").startswith("volunteering-digest:")]) == 1


def test_a_failing_reminder_loses_neither_the_others_nor_itself(
    monkeypatch, make_opportunity, make_shift, make_user
):
    tomorrow = local_today() + timedelta(days=1)
    shift = make_shift(
        make_opportunity(), starts_at=local_to_utc(tomorrow, time(10, 0)), capacity=5
    )
    people = [make_user() for _ in range(3)]
    signups = [service.sign_up(shift.id, user=p, birth_year=1990) for p in people]
    db.session.commit()
    unlucky = people[1].email
    real_send_mail = notifications.send_mail

    def send_mail(recipient, *args, **kwargs):
        if recipient == unlucky and kwargs.get("topic", "").startswith("volunteering-reminder"):
            raise ConnectionError("the template server is down")
        return real_send_mail(recipient, *args, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    assert service.send_reminders() == 2
    db.session.expire_all()
    assert sorted(m.recipient for m in _reminders()) == sorted([people[0].email, people[2].email])
    assert db.session.get(Signup, signups[1].id).reminded_at is None

    monkeypatch.setattr(notifications, "send_mail", real_send_mail)
    assert service.send_reminders() == 1  # only the one that failed
    assert service.send_reminders() == 0
    db.session.expire_all()
    assert sorted(m.recipient for m in _reminders()) == sorted(p.email for p in people)


def test_a_reminder_already_in_the_outbox_is_not_sent_again(
    make_opportunity, make_shift, volunteer
):
    """The outbox topic names the shift's time (its sequence): clearing the mark by hand, or a
    crash between the mail and the mark in some future change, still sends one reminder."""
    tomorrow = local_today() + timedelta(days=1)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(tomorrow, time(10, 0)))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    db.session.commit()
    assert service.send_reminders() == 1
    db.session.execute(sa.update(Signup).where(Signup.id == signup.id).values(reminded_at=None))
    db.session.commit()
    assert service.send_reminders() == 0
    db.session.expire_all()
    assert len(_reminders()) == 1
    assert db.session.get(Signup, signup.id).reminded_at is not None


def test_a_failing_organisation_does_not_stop_the_unanswered_reminders(
    monkeypatch, make_opportunity, make_shift, make_organisation, make_user, ngo_owner
):
    other_owner = make_user()
    other = make_organisation(owner=other_owner)
    shifts = [
        make_shift(make_opportunity(), starts_in=timedelta(days=10)),
        make_shift(make_opportunity(org=other), starts_in=timedelta(days=10)),
    ]
    for shift in shifts:
        service.sign_up(shift.id, user=make_user(), birth_year=1990)
    db.session.commit()
    later = datetime.now(UTC) + timedelta(days=3, hours=1)
    real_send_mail = notifications.send_mail

    def send_mail(recipient, *args, **kwargs):
        if recipient == ngo_owner.email:
            raise ConnectionError("boom")
        return real_send_mail(recipient, *args, **kwargs)

    # The unanswered reminder is sent from the reminders module.
    from app.volunteering.service import reminders

    monkeypatch.setattr(reminders, "send_mail", send_mail)
    assert service.send_unanswered_reminders(now=later) == 1
    monkeypatch.setattr(reminders, "send_mail", real_send_mail)
    assert service.send_unanswered_reminders(now=later) == 1
    assert service.send_unanswered_reminders(now=later) == 0
    db.session.expire_all()
    topics = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(
            OutboxMessage.topic.startswith("volunteering-unanswered:")
        )
    ).all()
    assert sorted(topics) == sorted([ngo_owner.email, other_owner.email])
