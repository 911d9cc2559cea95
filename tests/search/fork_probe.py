"""Fork while simplemma's dictionary is still loading, then index and search in the children.

Run by ``test_preload_fork.py`` in a fresh interpreter (so the dictionary is not loaded yet)::

    python -m tests.search.fork_probe SQLITE_URL TIMEOUT_SECONDS

This process creates the app with the background preload on and forks at once, as
``gunicorn --preload`` does, twice:

- child "nowait": forked with ``FORK_WAIT_SECONDS = 0``, so it inherits the load cut short (the
  lock held by the preload thread, which does not exist in the child) and must start over;
- child "wait": forked normally; the fork waits for the load, the child inherits the dictionary.

Each child saves an organisation (which re-indexes it, lemmatising), lemmatises and searches for
it. This process waits for both at most TIMEOUT_SECONDS, kills what is still running, and exits 0
only if both finished and exited 0. Lines on stdout say what happened.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HUNG = 3


def log(message: str) -> None:
    sys.stdout.write(f"[{os.getpid()}] {message}\n")  # one write: the children share stdout
    sys.stdout.flush()


def child(app, name: str) -> int:
    from app.extensions import db
    from app.organisations import service as orgs
    from app.search import text
    from app.unit_of_work import transaction

    log(f"child {name}: dictionary loaded at the fork: {text._lemmatize is not None}")
    started = time.monotonic()
    with app.app_context():
        # A save re-indexes the document: it lemmatises, as a request would.
        title = f"Klub Seniora {name}"
        with transaction():  # services only flush; outside a request the caller commits
            orgs.create_organisation(None, name=title, description="Spotkania dla seniorów.")
        log(f"child {name}: saved and indexed after {time.monotonic() - started:.1f} s")
        assert text.lemma("seniorów") == "senior", text.lemma("seniorów")
        response = app.test_client().get("/szukaj/?q=seniorów")
        assert response.status_code == 200, response.status_code
        assert title in response.get_data(as_text=True), f"{title} not found"
        db.session.remove()
        db.engine.dispose()
    log(f"child {name}: lemmatised and searched after {time.monotonic() - started:.1f} s")
    return 0


def fork(app, name: str) -> int:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            code = child(app, name)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    log(f"parent: forked child {name} ({pid}); the fork took {time.monotonic() - started:.1f} s")
    return pid


def main() -> int:
    url, timeout = sys.argv[1], float(sys.argv[2])
    import app as app_package

    # The worktree's app, not whichever one the virtualenv has installed in editable mode.
    assert Path(app_package.__file__).resolve().is_relative_to(ROOT), app_package.__file__
    from app import create_app
    from app.search import text

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "SEARCH_PRELOAD_LEMMAS": True,
        }
    )
    loading = any(t.name == "simplemma-preload" for t in threading.enumerate())
    log(f"parent: app created; preload in progress: {loading and not text._lemma_ready.is_set()}")
    if not loading or text._lemma_ready.is_set():
        log("parent: the preload is not running, nothing to test")
        return 2

    wait = getattr(text, "FORK_WAIT_SECONDS", 60.0)  # absent before the fork fix
    text.FORK_WAIT_SECONDS = 0
    children = {fork(app, "nowait"): "nowait"}
    text.FORK_WAIT_SECONDS = wait
    children[fork(app, "wait")] = "wait"

    failed = False
    deadline = time.monotonic() + timeout
    while children and time.monotonic() < deadline:
        for pid, name in list(children.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                log(f"parent: child {name} exited with {code}")
                failed |= code != 0
                del children[pid]
        time.sleep(0.05)
    for pid, name in children.items():
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        log(f"parent: child {name} still running after {timeout:.0f} s: killed (hung)")
    if children:
        return HUNG
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
