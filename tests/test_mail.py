"""Mail leaves through the outbox after commit, through the job queue: a slow or dead SMTP
server never holds a request or the database, each row is delivered once, headers are safe."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.jobs import huey, periodic_job_names, queued_count, warsaw_crontab
from app.mail import OutboxMessage, deliver, deliver_undelivered, send_mail
from app.unit_of_work import transaction
from tests.helpers import FakeSMTP

PASSWORD = "Bardzo-dobre-haslo-1"


def registration(email: str) -> dict:
    return {
        "name": "Jan Kowalski",
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_privacy": "y",
    }


def messages() -> list[OutboxMessage]:
    db.session.rollback()  # a fresh snapshot: delivery writes through its own session
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def queue_mail(subject="Temat", recipient="ola@example.org") -> int:
    with transaction():
        message_id = send_mail(recipient, subject, "pages/mail_test.txt", name="Ola").id
    return message_id


@pytest.fixture
def smtp(app):
    with FakeSMTP() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        yield server


@pytest.fixture
def app_config():
    # The queue keeps its jobs (as with a real worker) instead of running them at commit.
    return {"JOBS_BACKEND": "memory"}


@pytest.fixture(autouse=True)
def mail_template(app, tmp_path):
    """A tiny template for the mails these tests queue themselves."""
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_loader = ChoiceLoader(
        [DictLoader({"pages/mail_test.txt": "Dzień dobry, {{ name }}!"}), app.jinja_loader]
    )


def run_queued_jobs() -> None:
    while (job := huey.dequeue()) is not None:
        huey.execute(job)


def test_a_silent_smtp_server_neither_slows_a_request_nor_blocks_other_writes(app, client):
    with FakeSMTP(silent=True) as silent:
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port, MAIL_USE_TLS=False, MAIL_TIMEOUT=6
        )
        started = time.monotonic()
        response = client.post("/konto/rejestracja", data=registration("jan@example.org"))
        assert response.status_code == 303
        # Well under a second on an idle machine (most of it is hashing the password); the
        # bound only has to show the request never waits for the SMTP timeout.
        assert time.monotonic() - started < 3
        [mail] = messages()
        assert mail.sent_at is None and queued_count() == 1

        # The worker now hangs on the silent server; the rest of the service does not wait.
        job = huey.dequeue()
        worker = threading.Thread(target=huey.execute, args=(job,))
        worker.start()
        time.sleep(0.3)
        started = time.monotonic()
        response = client.post("/konto/rejestracja", data=registration("ewa@example.org"))
        assert response.status_code == 303
        assert time.monotonic() - started < 3
        assert worker.is_alive()  # the delivery was still hanging meanwhile
        worker.join(timeout=10)

    first = messages()[0]
    assert first.sent_at is None and first.attempts == 1
    assert "timed out" in first.last_error or "Timeout" in first.last_error
    assert huey.scheduled_count() == 1  # retried later, with backoff


def test_each_outbox_row_is_delivered_once(app, smtp):
    message_id = queue_mail()
    assert deliver(message_id) is True
    assert deliver(message_id) is False
    run_queued_jobs()  # the job queued at commit finds it sent
    assert len(smtp.messages) == 1
    [mail] = messages()
    assert mail.sent_at is not None and mail.attempts == 1 and mail.claimed_at is None


def test_header_values_are_sanitised(app, smtp):
    queue_mail(subject="Sprzątanie\nBcc: ktos@zly.example\r\nparku")
    run_queued_jobs()
    [sent] = smtp.messages
    assert sent["Subject"] == "Sprzątanie Bcc: ktos@zly.example parku"
    assert sent["Bcc"] is None
    assert messages()[0].sent_at is not None


def test_a_lost_job_is_picked_up_by_the_sweep(app, smtp):
    message_id = queue_mail()
    huey.flush()  # the queue lost the job (Redis restarted)
    assert deliver_undelivered() == 0  # too fresh: its own job may still come
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(OutboxMessage).values(created_at=datetime.now(UTC) - timedelta(minutes=10))
        )
    assert deliver_undelivered() == 1
    assert deliver_undelivered() == 0
    assert len(smtp.messages) == 1
    assert messages()[0].id == message_id and messages()[0].sent_at is not None


def test_a_failed_attempt_is_recorded_and_retried(app):
    with FakeSMTP() as server:
        port = server.port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)  # closed
    message_id = queue_mail()
    with pytest.raises(OSError):
        deliver(message_id)
    [mail] = messages()
    assert mail.sent_at is None and mail.attempts == 1 and mail.last_error
    assert mail.claimed_at is None  # free for the retry


def test_a_mail_of_a_rolled_back_transaction_is_never_queued(app):
    with pytest.raises(RuntimeError), transaction():
        send_mail("ola@example.org", "Temat", "pages/mail_test.txt", name="Ola")
        raise RuntimeError
    assert messages() == [] and queued_count() == 0


def test_periodic_jobs_follow_warsaw_wall_clock_across_dst():
    at_six_pm = warsaw_crontab(hour="18", minute="0")
    # Huey hands the scheduler naive UTC.
    assert at_six_pm(datetime(2026, 1, 15, 17, 0))  # CET, UTC+1
    assert at_six_pm(datetime(2026, 7, 15, 16, 0))  # CEST, UTC+2
    assert not at_six_pm(datetime(2026, 7, 15, 17, 0))
    assert at_six_pm(datetime(2026, 3, 29, 16, 0))  # the day clocks go forward
    assert at_six_pm(datetime(2026, 10, 25, 17, 0))  # the day clocks go back


def test_every_periodic_job_is_registered_for_the_worker(app):
    assert periodic_job_names() == [
        "app.accounts.retention.purge_personal_data_job",
        "app.accounts.tasks.purge_sessions",
        "app.calendars.imports.tasks.sync_due_calendars",
        "app.mail.deliver_pending_mail",
        "app.organisations.tasks.remind_stale_profiles",
        "app.spaces.tasks.reconfirm_standing_bookings",
        "app.spaces.tasks.remind_providers_of_pending_requests",
        "app.spaces.tasks.send_booking_reminders",
        "app.volunteering.tasks.refresh_listing",
        "app.volunteering.tasks.send_digest",
        "app.volunteering.tasks.send_reminders",
    ]
    result = app.test_cli_runner().invoke(args=["jobs", "list"])
    assert "app.mail.deliver_pending_mail" in result.output


def test_mail_follows_the_fate_of_its_savepoint(app):
    """A refused action's savepoint rolls back its mail; a released savepoint's mail goes with
    the enclosing transaction, and only when that one commits."""
    with transaction():
        with pytest.raises(RuntimeError), db.session.begin_nested():
            send_mail("nie@example.org", "Temat", "pages/mail_test.txt", name="Ola")
            raise RuntimeError
        with db.session.begin_nested():
            send_mail("tak@example.org", "Temat", "pages/mail_test.txt", name="Ola")
        assert queued_count() == 0  # nothing before the commit
    with pytest.raises(RuntimeError), transaction():
        with db.session.begin_nested():
            send_mail("wycofane@example.org", "Temat", "pages/mail_test.txt", name="Ola")
        raise RuntimeError
    assert [m.recipient for m in messages()] == ["tak@example.org"]
    assert queued_count() == 1
