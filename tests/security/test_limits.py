"""Abuse limits that hold: per account for what logged-in people do, per address (the real
one, behind the proxy) for anonymous forms, per e-mail for password guessing, counted in Redis
across workers; only confirmed accounts create organisations or invite."""

from __future__ import annotations

import logging
import socket

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.organisations.models import Invitation, Organisation
from tests.helpers import SECRET_KEY, TEST_PASSWORD, CSRFClient

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


@pytest.fixture
def app_config():
    return LIMITED


def invite(client, organisation, number):
    return client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": f"osoba{number}@example.org", "role": "editor"},
    )


def test_thirty_invitations_in_a_row_are_refused_after_the_limit(
    client, auth, organisation, ngo_owner
):
    auth.login(ngo_owner)
    statuses = [invite(client, organisation, n).status_code for n in range(30)]
    assert statuses[:20] == [303] * 20 or set(statuses[:20]) <= {200, 303}
    assert statuses[20:] == [429] * 10
    refused = invite(client, organisation, 99)
    assert "Spróbuj ponownie za" in refused.text
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 20


def test_the_invitation_limit_is_per_account_not_per_address(
    client, auth, organisation, ngo_owner, make_user
):
    auth.login(ngo_owner)
    for n in range(20):
        invite(client, organisation, n)
    assert invite(client, organisation, 20).status_code == 429
    colleague = make_user("wspolwlasciciel@example.org")
    from app.organisations.models import MemberRole, Membership

    organisation.memberships.append(Membership(user=colleague, role=MemberRole.OWNER))
    db.session.commit()
    auth.login(colleague)  # the same address (one office)
    assert invite(client, organisation, 21).status_code in (200, 303)


def bad_login(client, email, address):
    return client.post(
        "/konto/logowanie",
        data={"email": email, "password": "zle-haslo"},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_guessing_one_accounts_password_from_many_addresses_is_limited(client, make_user):
    make_user("ala@example.org")
    statuses = [bad_login(client, "ala@example.org", f"10.0.0.{n}") for n in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    # Another account from one of those addresses can still log in.
    other = make_user("ola@example.org")
    answer = client.post(
        "/konto/logowanie",
        data={"email": other.email, "password": TEST_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert answer.status_code == 303


def test_password_checks_of_a_logged_in_session_are_limited(client, auth, make_user):
    auth.login(make_user("ala@example.org"))
    data = {
        "current_password": "zle",
        "password": "Nowe-haslo-2027",
        "password_confirm": "Nowe-haslo-2027",
    }
    statuses = [client.post("/konto/haslo", data=data).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    delete = client.post("/konto/usun", data={"password": "zle", "confirm": "y"})
    assert delete.status_code == 429  # the same budget: one stolen session, one guess rate


def register(client, n, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/konto/rejestracja",
        data={
            "name": f"Osoba {n}",
            "email": f"nowa{n}@example.org",
            "password": TEST_PASSWORD,
            "password_confirm": TEST_PASSWORD,
            "accept_privacy": "y",
        },
        headers=headers,
    ).status_code


@pytest.mark.parametrize("app_config", [{**LIMITED, "TRUSTED_PROXIES": 1}])
def test_behind_the_proxy_each_client_has_its_own_bucket(client):
    first = [register(client, n, "203.0.113.7") for n in range(21)]
    assert first[-1] == 429 and 429 not in first[:20], first
    assert register(client, 100, "198.51.100.9") == 303


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client):
    for n in range(20):
        register(client, n, f"203.0.113.{n}")
    assert register(client, 100, "198.51.100.9") == 429  # one bucket: the header is not believed


def test_an_unconfirmed_account_cannot_create_an_organisation_or_invite(
    client, auth, make_user, organisation
):
    newcomer = make_user("nowy@example.org", confirmed=False)
    auth.login(newcomer)
    refused = client.post(
        "/organizacje/nowa", data={"name": "Fundacja Spam", "legal_form": "foundation"}
    )
    assert refused.status_code in (400, 422)
    assert "Potwierdź najpierw swój adres e-mail" in refused.text
    assert (
        db.session.scalar(sa.select(Organisation).where(Organisation.name == "Fundacja Spam"))
        is None
    )
    from app.organisations.models import MemberRole, Membership

    organisation.memberships.append(Membership(user=newcomer, role=MemberRole.OWNER))
    db.session.commit()
    answer = invite(client, organisation, 1)
    assert answer.status_code in (400, 422) and "Potwierdź najpierw" in answer.text
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379")
def test_limits_are_counted_in_redis_across_workers(database_templates, tmp_path, make_user):
    """Two app processes (workers) sharing REDIS_URL count one budget: 10 bad logins for one
    account, spread over both, and the 11th is refused by either."""

    import uuid

    store = "redis://127.0.0.1:6379/14"
    # Its own account and address: the other database's run of this test shares the Redis.
    email, address = f"ala-{uuid.uuid4().hex[:12]}@example.org", f"10.{uuid.uuid4().int % 250}.1.1"
    make_user(email)
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    workers = [
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": SECRET_KEY,
                "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_ENABLED": True,
                "REDIS_URL": store,
                "JOBS_BACKEND": "immediate",
            }
        )
        for _ in range(2)
    ]
    assert all(w.config["RATELIMIT_STORAGE_URI"] == store for w in workers)
    for worker in workers:
        worker.test_client_class = CSRFClient
    try:
        statuses = [bad_login(workers[n % 2].test_client(), email, address) for n in range(11)]
    finally:
        for worker in workers:  # their connections, else psycopg warns when they are collected
            with worker.app_context():
                db.session.remove()
                db.engine.dispose()
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_memory_storage_warns_outside_development(caplog, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with caplog.at_level(logging.WARNING, logger="app.limits"):
        create_app(
            {"SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
        )
    assert "counted in memory" in caplog.text
