"""SQLite, the zero set-up default, under `gunicorn -w 4`: ordinary concurrency gives no 500.

Before the unit of work began every writing request with BEGIN IMMEDIATE, two logins at the same
moment gave one 500 (a deferred transaction cannot be upgraded once another writer committed),
30 at once ~70 % 500s, and 10 concurrent profile saves failed half the time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TEST_PASSWORD, Browser, race, wait_for_log

pytestmark = pytest.mark.race

ROOT = Path(__file__).resolve().parents[1]
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
LOGINS = 30
SAVES = 10


@pytest.fixture
def gunicorn_on_sqlite(database_templates, tmp_path, password_hash):
    """Four gunicorn workers on a SQLite file with LOGINS users; yields (app, base URL)."""
    pytest.importorskip("gunicorn")
    from app import create_app
    from app.accounts.models import User
    from app.db import utcnow
    from app.extensions import db

    path = tmp_path / "app.sqlite"
    shutil.copyfile(database_templates["sqlite"], path)
    url = f"sqlite:///{path}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret-key", "SQLALCHEMY_DATABASE_URI": url}
    )
    with app.app_context():
        from app.accounts.consents import record_consents

        for number in range(LOGINS):
            user = User(
                email=f"user{number}@example.org",
                name=f"Osoba {number}",
                password_hash=password_hash,
                confirmed_at=utcnow(),
            )
            db.session.add(user)
            db.session.flush()
            record_consents(user)  # else every page sends them to accept the terms first
        db.session.commit()
        db.engine.dispose()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": "false",
        "SEARCH_PRELOAD_LEMMAS": "false",
        "JOBS_BACKEND": "sqlite",
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    command = [
        sys.executable, "-m", "gunicorn", "-w", "4", "--bind", "127.0.0.1:0", "--chdir", str(ROOT),
        "--timeout", "60", "--graceful-timeout", "5", "wsgi:app",
    ]  # fmt: skip
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        port = wait_for_log(LISTENING, log, 1, server)[0]
        wait_for_log(BOOTED, log, 4, server)
        yield app, f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_thirty_logins_and_ten_profile_saves_at_once_give_no_500(gunicorn_on_sqlite):
    app, base_url, log = gunicorn_on_sqlite
    browsers = [Browser(app, base_url=base_url) for _ in range(LOGINS)]
    for browser in browsers:
        browser.fetch_csrf("/konto/logowanie")

    def log_in(number: int):
        data = {"email": f"user{number}@example.org", "password": TEST_PASSWORD}
        return browsers[number].post("/konto/logowanie", data=data).status

    statuses = race([lambda n=n: log_in(n) for n in range(LOGINS)])
    assert statuses == [303] * LOGINS, f"{statuses}\n{log.read_text()[-3000:]}"
    # Each one is logged in: the account page answers instead of sending to the login form.
    assert all(b.get("/konto").status == 200 for b in browsers[:5])
    # gunicorn.conf.py (read from the working directory): no "Server: gunicorn" banner.
    server = {k.lower(): v for k, v in browsers[0].get("/").headers.items()}.get("server", "")
    assert "gunicorn" not in server.lower()

    def save_profile(number: int):
        browser = browsers[number]
        browser.fetch_csrf("/konto")
        return lambda: (
            browser.post("/konto", data={"name": f"Nowe Imię {number}", "locale": "pl"}).status
        )

    saves = [save_profile(n) for n in range(SAVES)]
    statuses = race(saves)
    assert statuses == [303] * SAVES, f"{statuses}\n{log.read_text()[-3000:]}"
    names = {browsers[n].get("/konto").text.count(f"Nowe Imię {n}") > 0 for n in range(SAVES)}
    assert names == {True}
