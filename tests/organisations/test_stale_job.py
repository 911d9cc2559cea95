"""The daily reminder about profiles a year out of date, run as the job worker runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.extensions import db
from app.jobs import WARSAW
from app.mail import OutboxMessage
from app.organisations.service import stale
from app.organisations.tasks import remind_stale_profiles


def stale_reminders() -> list[OutboxMessage]:
    db.session.commit()  # a fresh snapshot: the job ran in its own transactions
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.topic.like("org-stale:%"))
            .order_by(OutboxMessage.id)
        )
    )


def run_job_across(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """Run the job at every minute of [start, end) its schedule names, as the scheduler does
    (Huey hands it naive UTC); returns (moment, reminders sent) per run."""
    schedule = remind_stale_profiles.task_class()
    runs = []
    moment = start
    while moment < end:
        if schedule.validate_datetime(moment.replace(tzinfo=None)):
            with freeze_time(moment):
                runs.append((moment, remind_stale_profiles.call_local()))
        moment += timedelta(minutes=1)
    return runs


def test_a_profile_turning_stale_is_reminded_once_at_seven(
    app, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    with freeze_time("2025-03-01 12:00:00"):
        organisation = make_organisation_profile("Fundacja Zapomniana", owner=owner)
    make_organisation_profile("Fundacja Świeża", owner=make_user())

    runs = run_job_across(datetime(2026, 2, 28, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
    # Every day at 7:00 Warsaw time (CET in March: 6:00 UTC), once a day.
    assert [(m.astimezone(WARSAW).hour, m.minute) for m, _sent in runs] == [(7, 0)] * 4
    # Stale from 1 March 12:00 (a year after the last update): reminded on 2 March only.
    assert [(m.day, sent) for m, sent in runs] == [(28, 0), (1, 0), (2, 1), (3, 0)]
    [reminder] = stale_reminders()
    assert reminder.recipient == "owner@example.org"
    assert "Fundacja Zapomniana" in reminder.subject
    assert f"/organizacje/{organisation.slug}/edycja" in reminder.body
    assert reminder.sent_at is not None  # delivered after the job's commit

    # The command runs the same function: nothing again in the same stale period.
    result = app.test_cli_runner().invoke(args=["notify-stale-organisations"])
    assert "Wysłano 0 wiadomości." in result.output
    assert len(stale_reminders()) == 1


def test_a_crash_half_way_keeps_what_was_sent_and_repeats_nothing(
    app, monkeypatch, make_user, make_organisation_profile
):
    with freeze_time("2024-01-10 12:00:00"):
        first = make_organisation_profile("Fundacja Pierwsza", owner=make_user())
        second = make_organisation_profile("Fundacja Druga", owner=make_user())
    notify_one = stale.notify_stale_organisation

    def crash_on_second(organisation_id, now=None):
        if organisation_id == second.id:
            raise RuntimeError("the worker died")
        return notify_one(organisation_id, now)

    monkeypatch.setattr(stale, "notify_stale_organisation", crash_on_second)
    with pytest.raises(RuntimeError):
        stale.notify_stale_owners()
    assert [m.topic.split(":")[1] for m in stale_reminders()] == [str(first.id)]

    monkeypatch.setattr(stale, "notify_stale_organisation", notify_one)
    assert stale.notify_stale_owners() == 1  # only the second organisation's owner
    assert stale.notify_stale_owners() == 0
    assert sorted(int(m.topic.split(":")[1]) for m in stale_reminders()) == [first.id, second.id]
