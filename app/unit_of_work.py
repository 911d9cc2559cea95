"""One unit of work per request, and one per item outside requests.

A request's view runs in one transaction: committed when the view answers below 400, rolled
back on an error status or an exception (the model is Indico's request handler). On SQLite
every non-GET request begins ``BEGIN IMMEDIATE``, so concurrent writers queue for the lock
instead of failing. Services only ``flush()``; they never commit or roll back.

Outside a request (commands, periodic jobs, demo data) code opens ``transaction()`` itself, one
short transaction per item, so a crash half-way keeps what was done and repeats nothing.

Side effects wait for the commit: ``app.db.after_commit`` (used by ``app.mail.send_mail`` and
``app.jobs.enqueue_after_commit``) runs them only once the transaction is stored.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, request, session

from app.db import begin_write
from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnitOfWorkFlask(Flask):
    """Flask whose ``dispatch_request`` is the request's unit of work.

    Committing here, before the response is finalised, means a failed commit is handled like any
    error of the view (the error handlers answer it, nothing is half-stored), and the session
    cookie of a failed request (a login whose commit failed) is restored, not saved.
    """

    def dispatch_request(self):
        g.unit_of_work = True
        try:
            response = self.make_response(super().dispatch_request())
            if response.status_code < 400:
                db.session.commit()
            else:
                db.session.rollback()
        except BaseException:
            db.session.rollback()
            _restore_session_cookie()
            raise
        return response


def writes(view):
    """Mark a GET view that writes (a one-click link from an e-mail, a feed token made on first
    visit): it begins a writing transaction like a POST, so on SQLite it queues for the write
    lock instead of failing when its read transaction cannot be upgraded."""
    view.unit_of_work_writes = True
    return view


def _begin_request() -> None:
    view = current_app.view_functions.get(request.endpoint)
    if request.method not in SAFE_METHODS or getattr(view, "unit_of_work_writes", False):
        g.session_before = dict(session)
        begin_write(db.session)


def _restore_session_cookie() -> None:
    before = g.pop("session_before", None)
    if before is not None and dict(session) != before:
        session.clear()
        session.update(before)


@contextmanager
def transaction():
    """A writing transaction outside a request: commit on success, roll back on error.

    Not for services (they run inside their caller's unit of work) and not inside a request
    (the request is the unit of work there)."""
    if has_request_context() and g.get("unit_of_work"):
        raise RuntimeError("transaction() inside a request: the request is the unit of work")
    begin_write(db.session)
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def init_app(app: Flask) -> None:
    app.before_request(_begin_request)
