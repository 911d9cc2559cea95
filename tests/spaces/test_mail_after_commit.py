"""A booking request with an SMTP server that accepts connections and never answers: the NGO
gets its answer at once and other writes go on (mail waits for the job, outside the request);
a refused request sends nobody anything."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.jobs import huey, queued_count
from app.mail import OutboxMessage
from app.spaces.models import BookingSeries
from app.unit_of_work import transaction
from tests.helpers import FakeSMTP
from tests.spaces.conftest import next_weekday
from tests.spaces.test_requests import request_form


@pytest.fixture
def app_config():
    return {"JOBS_BACKEND": "memory"}  # jobs wait for a worker, as in production


def test_a_booking_request_does_not_wait_for_a_silent_smtp_server(
    app, client, auth, make_space, organisation, ngo_owner, provider_manager, make_user
):
    room = make_space("Sala gimnastyczna")
    auth.login(ngo_owner)
    day = next_weekday(2)
    with FakeSMTP(silent=True) as silent:
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port, MAIL_USE_TLS=False, MAIL_TIMEOUT=6
        )
        started = time.monotonic()
        response = client.post(
            f"/przestrzenie/sala/{room.slug}/rezerwuj",
            data=request_form(day, organisation=str(organisation.id)),
        )
        answered = time.monotonic() - started
        assert response.status_code == 303, response.text
        assert answered < 1.5, f"the request waited {answered:.1f} s"
        assert queued_count() >= 1  # the provider's mail waits for the worker

        # A worker hangs on the silent server; an unrelated write meanwhile is not held up.
        worker = threading.Thread(target=huey.execute, args=(huey.dequeue(),))
        worker.start()
        user_id = make_user("ktos@example.org").id
        db.session.rollback()  # end the read: a write must begin as one (BEGIN IMMEDIATE)
        started = time.monotonic()
        with transaction():
            db.session.get(User, user_id).name = "Zmienione"
        assert time.monotonic() - started < 1.0
        worker.join(timeout=15)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 1


def test_a_refused_booking_request_mails_nobody(
    app, client, auth, make_space, organisation, ngo_owner, provider_manager
):
    room = make_space("Sala gimnastyczna")
    auth.login(ngo_owner)
    # The fixtures' own jobs (learning the new words of the room's name) are not the request's.
    before = queued_count()
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(next_weekday(2), organisation=str(organisation.id), people="999"),
    )
    assert response.status_code in (400, 409, 422)
    db.session.rollback()
    assert db.session.scalars(sa.select(OutboxMessage)).all() == []
    assert queued_count() == before
