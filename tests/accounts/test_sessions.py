"""Sessions end for real: logging out kills that session server-side (a copied session or
remember-me cookie stops working), other devices stay logged in, a password change ends the
others, remember-me lasts 30 days (configurable), and ended sessions are purged daily."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.accounts.models import UserSession
from app.extensions import db
from app.jobs import huey, job_name
from app.timeutil import local_to_utc, local_today
from tests.helpers import TEST_PASSWORD


def log_in(app, user, remember=False):
    client = app.test_client()
    answer = client.post(
        "/konto/logowanie",
        data={
            "email": user.email,
            "password": TEST_PASSWORD,
            **({"remember": "y"} if remember else {}),
        },
    )
    assert answer.status_code == 303
    return client


def logged_in(client) -> bool:
    return client.get("/konto", follow_redirects=False).status_code == 200


def cookies_of(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def client_with(app, cookies: dict[str, str]):
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def test_a_copied_session_cookie_stops_working_at_logout(app, make_user):
    user = make_user("ala@example.org")
    client = log_in(app, user)
    stolen = client_with(app, cookies_of(client))
    assert logged_in(stolen)
    assert client.post("/konto/wyloguj").status_code == 303
    assert not logged_in(client)
    assert not logged_in(stolen)


def test_a_copied_remember_me_cookie_stops_working_at_logout(app, make_user):
    user = make_user("ala@example.org")
    client = log_in(app, user, remember=True)
    remember = {k: v for k, v in cookies_of(client).items() if k == "remember_token"}
    assert remember, cookies_of(client)
    # Only the remember-me cookie (a browser restarted): still logged in before the logout.
    assert logged_in(client_with(app, remember))
    client.post("/konto/wyloguj")
    assert not logged_in(client_with(app, remember))


def test_logging_out_on_one_device_keeps_the_other(app, make_user):
    user = make_user("ala@example.org")
    phone, laptop = log_in(app, user), log_in(app, user)
    phone.post("/konto/wyloguj")
    assert not logged_in(phone) and logged_in(laptop)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user("ala@example.org")
    here, elsewhere = log_in(app, user), log_in(app, user)
    changed = here.post(
        "/konto/haslo",
        data={
            "current_password": TEST_PASSWORD,
            "password": "Nowe-haslo-2027",
            "password_confirm": "Nowe-haslo-2027",
        },
    )
    assert changed.status_code == 303, changed.text
    assert logged_in(here)
    assert not logged_in(elsewhere)


@pytest.mark.parametrize("app_config", [{"SESSION_HOURS": 24}])
def test_remember_me_lasts_thirty_days_and_a_plain_session_a_day(app, make_user):
    user = make_user("ala@example.org")
    client = log_in(app, user, remember=True)
    cookie = next(c for c in client._cookies.values() if c.key == "remember_token")
    assert cookie.expires is not None
    days = (cookie.expires - datetime.now(UTC)).days
    assert 28 <= days <= 30
    rows = db.session.scalars(sa.select(UserSession).order_by(UserSession.id)).all()
    assert rows[-1].remember and 29 <= (rows[-1].expires_at - rows[-1].created_at).days <= 30
    plain = log_in(app, user)
    assert plain
    last = db.session.scalars(sa.select(UserSession).order_by(UserSession.id.desc())).first()
    assert last.expires_at - last.created_at == timedelta(hours=24)
    # After its lifetime a session is over even with its cookie.
    with freeze_time(datetime.now(UTC) + timedelta(hours=25)):
        assert not logged_in(plain)


@pytest.mark.parametrize("app_config", [{"REMEMBER_COOKIE_DURATION": timedelta(days=7)}])
def test_the_remember_me_lifetime_is_a_setting(app, make_user):
    user = make_user("ala@example.org")
    log_in(app, user, remember=True)
    row = db.session.scalars(sa.select(UserSession).order_by(UserSession.id.desc())).first()
    assert (row.expires_at - row.created_at).days == 7


@pytest.mark.parametrize("app_config", [{"SESSION_HOURS": 24}])
def test_the_daily_purge_runs_at_ten_past_four_and_forgets_old_sessions(app, make_user):
    user = make_user("ala@example.org")
    client = log_in(app, user)
    client.post("/konto/wyloguj")
    log_in(app, user)  # an active one stays
    day = local_today() + timedelta(days=40)
    start, end = local_to_utc(day, time(0)), local_to_utc(day + timedelta(days=1), time(0))
    ran = []
    moment = start
    while moment < end:
        for job in huey.read_periodic(moment.astimezone(UTC).replace(tzinfo=None)):
            if job_name(job) == "app.accounts.tasks.purge_sessions":
                with freeze_time(moment):
                    job.execute()
                    job.execute()  # a second run finds nothing more
                ran.append(moment)
        moment += timedelta(minutes=1)
    assert ran == [local_to_utc(day, time(4, 10))]
    db.session.expire_all()
    left = db.session.scalars(sa.select(UserSession)).all()
    # The revoked one is gone; the 24-hour one expired 39 days ago and is gone too... unless
    # it was the remembered kind. Both were plain: none is left.
    assert left == []
