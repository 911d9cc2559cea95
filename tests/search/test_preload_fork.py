"""The search dictionary survives a fork made while it is still loading (``gunicorn --preload``).

Slow by nature, marked ``dictionary_load``: each test starts fresh processes that load
simplemma's Polish dictionary (5-16 s on a 2-core machine), because the defect only shows in a
process where the load is still in progress when it forks. Deselect with ``-m "not
dictionary_load"``.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import wait_for_log

ROOT = Path(__file__).resolve().parents[2]
# Fresh interpreters must import this worktree's app (the virtualenv may have another installed).
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.dictionary_load


@pytest.fixture
def sqlite_url(database_templates, tmp_path) -> str:
    path = tmp_path / "search.sqlite"
    shutil.copyfile(database_templates["sqlite"], path)
    return f"sqlite:///{path}"


def test_a_fork_during_the_preload_can_index_and_search(sqlite_url):
    """Fork right after create_app (preload running), as gunicorn --preload does, in both ways
    (see fork_probe.py: the fork waits for the load; the fork does not wait and the child starts
    over); in each child save an organisation and search for it. Before the fix the children
    hung for ever on the lock the preload thread held at the fork (that thread does not exist in
    a child). One full dictionary load: the "nowait" child's runs alongside the parent's."""
    child_timeout = 60  # a full load in a child, on a busy machine, with margin
    probe = subprocess.run(
        [sys.executable, "-m", "tests.search.fork_probe", sqlite_url, str(child_timeout)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=child_timeout + 120,  # the parent's own load and the fork's wait for it
    )
    report = probe.stdout + probe.stderr
    assert "preload in progress: True" in report, report
    assert probe.returncode == 0, report
    assert "child nowait: dictionary loaded at the fork: False" in report, report
    assert "child wait: dictionary loaded at the fork: True" in report, report


# --- the real thing: gunicorn --preload with two workers -----------------------------------------

CLUBS = {
    "Klub Seniora Rubinkowo": "Spotkania dla seniorów przy kawie.",
    "Stowarzyszenie Seniorzy Razem": "Wycieczki i gimnastyka.",
    "Fundacja Pomocna Dłoń": "Zakupy dla starszych sąsiadów i seniorów.",
}
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
SEARCHED = re.compile(r"^<(\d+)> (\d{3}) /szukaj/", re.MULTILINE)  # --access-logformat below


@pytest.fixture
def searchable_sqlite(sqlite_url) -> str:
    """A few organisations, indexed by the app itself (this loads the dictionary here too,
    once per test process, as tests/search/test_search.py does)."""
    from app import create_app
    from app.extensions import db
    from app.organisations import service as orgs
    from app.unit_of_work import transaction

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret-key", "SQLALCHEMY_DATABASE_URI": sqlite_url}
    )
    with app.app_context():
        for name, description in CLUBS.items():
            with transaction():  # services only flush; outside a request the caller commits
                orgs.create_organisation(None, name=name, description=description)
        db.session.remove()
        db.engine.dispose()
    return sqlite_url


def _search(port: int, timeout: float) -> tuple[int | str, str]:
    """One GET on a connection of its own: the status and body, or what went wrong."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", "/szukaj/?q=" + quote("seniorów"), headers={"Connection": "close"}
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    except OSError as error:  # a hung worker: timed out; a killed one: connection reset
        return f"{type(error).__name__} after at most {timeout} s", ""
    finally:
        connection.close()


@pytest.mark.race
def test_gunicorn_preload_workers_answer_searches(searchable_sqlite, tmp_path):
    """`gunicorn --preload -w 2 wsgi:app`, as README.md says to deploy: both workers answer
    searches at once. Before the fix each worker's first search hung (gunicorn would have killed
    the worker after its 30 s timeout; here --timeout 120 lets the client's 30 s timeout show it).
    """
    pytest.importorskip("gunicorn")
    log = tmp_path / "gunicorn.log"
    env = {
        **ENV,
        "DATABASE_URL": searchable_sqlite,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": "false",
        "XDG_RUNTIME_DIR": str(tmp_path),  # gunicorn's control socket, if it has one
    }
    command = [
        sys.executable, "-m", "gunicorn", "--preload", "-w", "2", "--bind", "127.0.0.1:0",
        "--chdir", str(ROOT), "--timeout", "120", "--graceful-timeout", "5",
        "--access-logfile", "-", "--access-logformat", "%(p)s %(s)s %(U)s", "wsgi:app",
    ]  # fmt: skip
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        started = time.monotonic()
        port = int(wait_for_log(LISTENING, log, 1, server, 60)[0])
        # With the fix the master forks its workers once the dictionary is loaded (5-16 s).
        workers = set(wait_for_log(BOOTED, log, 2, server, 120))
        booted = time.monotonic() - started
        results = []
        with ThreadPoolExecutor(max_workers=4) as pool:
            for _round in range(10):  # until both workers have answered, or one fails
                results += pool.map(lambda _: _search(port, timeout=30), range(4))
                time.sleep(0.2)  # let the access log catch up
                served = set(SEARCHED.findall(log.read_text()))
                if served >= {(pid, "200") for pid in workers} or any(s != 200 for s, _ in results):
                    break
        statuses = [status for status, _ in results]
        assert statuses == [200] * len(results), f"{statuses}\n{log.read_text()}"
        assert all(name in body for _, body in results for name in CLUBS)
        answered = {pid for pid, status in SEARCHED.findall(log.read_text())}
        assert answered == workers, log.read_text()
        print(f"workers up {booted:.1f} s after start; {len(results)} searches answered")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
