"""Helpers shared by tests (import them from here, not from a conftest).

- ``make_test_app``, ``migrate_to_head``, ``recreate_pg_database``: apps on real databases.
- ``CSRFClient`` (the test client sending a valid CSRF token), ``Auth`` (log a user in).
- ``LiveServer``: the test app served over real HTTP by a threaded server.
- ``Browser``: one HTTP client for a live server, logged in (``Browser(app, user)``: a signed
  session cookie and a CSRF token, as the app issues after login) or anonymous (``Browser(app)``,
  keeps the cookies the server sets, like a browser). Never follows redirects.
- ``race(calls)``: run callables at the same moment in threads.
- ``FakeSMTP``: an SMTP server on localhost that records what it is sent, or never answers.
- ``count_statements()``: the SQL statements sent while the block runs (query discipline).
"""

from __future__ import annotations

import contextlib
import contextvars
import email.policy
import hashlib
import os
import re
import shutil
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from http.cookiejar import CookieJar
from pathlib import Path

import jinja2
import jinja2.bccache
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
TEST_PASSWORD = "Test-password-42"
SECRET_KEY = "test-secret-key"


# --- databases and apps -------------------------------------------------------------------


def _pg_url(database: str) -> str:
    base = sa.make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    return base.set(database=database).render_as_string(hide_password=False)


def recreate_pg_database(name: str) -> str:
    """Drop and create a PostgreSQL database next to TEST_DATABASE_URL's; returns its URL."""
    admin = sa.create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return _pg_url(name)


from app.vocabularies.seed import seed as seed_vocabularies  # noqa: E402


def migrate_to_head(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _truncate_all(url: str) -> None:
    """Empty every table of a migrated PostgreSQL database, as a fresh migration leaves it."""
    _PostgresReset.of(url).reset()


class _PostgresReset:
    """Brings a test database back to its just-migrated state between tests, fast.

    A TRUNCATE of all 70 tables costs about a second per test (PostgreSQL makes new files for
    every table), most of them untouched. One query finds the tables a test wrote to, the
    sequences it moved and whether the seeded reference data (vocabularies) changed; only
    those are reset.
    """

    _by_url: dict[str, _PostgresReset] = {}

    @classmethod
    def of(cls, url: str) -> _PostgresReset:
        if url not in cls._by_url:
            cls._by_url[url] = cls(url)
        return cls._by_url[url]

    def __init__(self, url: str):
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with self.engine.connect() as conn:
            self.tables = sorted(
                conn.scalars(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                        " AND tablename <> 'alembic_version'"
                    )
                )
            )
        # What the seed leaves: a checksum of each table it fills, and the sequences' values.
        self.seeded: dict[str, str] | None = None
        self.seeded_sequences: dict[str, int] = {}

    def _written(self, conn) -> set[str]:
        query = " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in self.tables
        )
        return set(conn.scalars(sa.text(query)))

    def _checksums(self, conn, tables) -> dict[str, str]:
        query = " UNION ALL ".join(
            f"SELECT '{name}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            f' FROM "{name}" t'
            for name in sorted(tables)
        )
        return dict(conn.execute(sa.text(query)).all()) if tables else {}

    def _sequences(self, conn) -> dict[str, int]:
        query = (
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = 'public' AND last_value IS NOT NULL"
        )
        return dict(conn.execute(sa.text(query)).all())

    def _truncate(self, conn, tables) -> None:
        names = ", ".join(f'"{name}"' for name in sorted(tables))
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

    def _empty(self, conn, tables: set[str]) -> None:
        """DELETE, children first: far cheaper than TRUNCATE for a few small tables (TRUNCATE
        ... CASCADE of users would rewrite every table that refers to it)."""
        order = [t.name for t in reversed(db.metadata.sorted_tables)]
        ranked = sorted(tables, key=lambda name: order.index(name) if name in order else -1)
        try:
            with conn.begin_nested():
                for name in ranked:
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
        except sa.exc.IntegrityError:  # a cycle of references: let PostgreSQL sort it out
            self._truncate(conn, tables)

    def reset(self) -> None:
        with self.engine.begin() as conn:
            if self.seeded is None:  # first use: the whole truncate, then remember the seed
                self._truncate(conn, self.tables)
                seed_vocabularies(conn)
                self.seeded = self._checksums(conn, self._written(conn))
                self.seeded_sequences = self._sequences(conn)
                return
            written = self._written(conn)
            reseed = self._checksums(conn, self.seeded) != self.seeded
            if reseed:
                written |= set(self.seeded)
            else:
                written -= set(self.seeded)
            if written:
                self._empty(conn, written)
                # (a CASCADE may have emptied seeded tables that refer to the written ones)
                reseed = reseed or self._checksums(conn, self.seeded) != self.seeded
            if reseed:
                self._empty(conn, set(self.seeded))
            for name, value in self._sequences(conn).items():
                if name in self.seeded_sequences and not reseed:
                    if value != self.seeded_sequences[name]:
                        conn.execute(
                            sa.text("SELECT setval(:name, :value)"),
                            {"name": name, "value": self.seeded_sequences[name]},
                        )
                else:  # numbering starts again at 1, as after a migration
                    conn.execute(sa.text(f'ALTER SEQUENCE "{name}" RESTART'))
            if reseed:
                seed_vocabularies(conn)


def make_test_app(backend: str, database_templates, tmp_path: Path, **config):
    if backend == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(database_templates["sqlite"], path)
        url = f"sqlite:///{path}"
    elif database_templates.get("postgresql-template"):
        url = _pg_copy(database_templates["postgresql-template"], database_templates["postgresql"])
    else:
        url = database_templates["postgresql"]
        _truncate_all(url)
    settings = {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",  # never a REDIS_URL of the environment
        "SERVER_NAME": "localhost",
        # A job (mail delivery) runs in the test when its transaction commits.
        "JOBS_BACKEND": "immediate",
        # Tests freeze the clock months or years ahead; a login must outlive that
        # (tests/accounts/test_sessions.py checks the real lifetimes).
        "SESSION_HOURS": 24 * 365 * 30,
        # Space photos of a test stay in its own folder, not the repository's instance/.
        "PHOTO_UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    settings.update(config)
    app = create_app(settings)
    # Templates compile once per session, not once per test's app (see TemplateCodeCache).
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    return app


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole session and shared by every app a test
    makes: compiling base.html and the macros again for each test's new Jinja environment was
    most of the time of rendering a page in a test. Jinja checks each entry against the
    template's source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = TemplateCodeCache()


def _pg_copy(template: str, target_url: str) -> str:
    """A fresh PostgreSQL database cloned from ``template`` (a file copy on the server)."""
    name = sa.make_url(target_url).database
    admin = sa.create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return target_url


# --- clients ------------------------------------------------------------------------------


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every unsafe request, like a browser
    would after loading the form. Pass ``csrf=False`` to send none.

    Each request runs in its own app context (own ``g``, own database session), as in
    production: the test's session is committed before and expired after, so a view that
    forgets to commit fails its test instead of leaking state through a shared session.
    """

    def _csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method not in {"GET", "HEAD", "OPTIONS"}:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self._csrf_token())
            kwargs["headers"] = headers
        if has_app_context():
            db.session.commit()
        parent_open = super().open
        return contextvars.Context().run(lambda: parent_open(*args, **kwargs))

    def hx_get(self, url: str, **kwargs):
        """A GET as htmx sends it (fragment requested)."""
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        return self.get(url, headers=headers, **kwargs)

    def hx_post(self, url: str, **kwargs):
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        return self.post(url, headers=headers, **kwargs)


def session_cookie_id(app, user) -> str:
    """What the session cookie of a freshly logged-in ``user`` carries: a new server-side
    session (app/accounts/sessions.py) made as the login form would. In the test's own
    database session when there is one (a second one would wait for its write lock); it is
    committed, as the test client commits before every request anyway."""
    from app.accounts.models import User
    from app.accounts.sessions import start_session

    def make() -> str:
        fresh = db.session.get(User, user.id)
        start_session(fresh)
        user_id = fresh.get_id()
        # The test's objects keep their state (threads of a race test read them later).
        session = db.session()
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
        return user_id

    if has_app_context() and current_app._get_current_object() is app:
        return make()
    with app.app_context():
        return make()


class Auth:
    def __init__(self, client: CSRFClient):
        self.client = client

    def login(self, user) -> None:
        """Log ``user`` in without the form (fast); the login form has its own tests."""
        user_id = session_cookie_id(self.client.application, user)
        with self.client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True

    def login_with_form(self, email: str, password: str = TEST_PASSWORD, **extra):
        return self.client.post(
            "/konto/logowanie", data={"email": email, "password": password, **extra}
        )

    def logout(self):
        return self.client.post("/konto/wyloguj")


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client of a live server (stdlib only, safe to use from many threads at once)."""

    def __init__(self, app, user=None, *, base_url: str = ""):
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.headers: dict[str, str] = {}
        self.csrf = ""
        if user is not None:
            raw = hashlib.sha1(os.urandom(64)).hexdigest()
            cookie = app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": session_cookie_id(app, user), "_fresh": True, "csrf_token": raw}
            )
            self.headers["Cookie"] = f"{app.config['SESSION_COOKIE_NAME']}={cookie}"
            self.csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, method: str, url: str, data=None, headers=None, timeout=60) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        all_headers = {**self.headers, **(headers or {})}
        if method != "GET" and self.csrf:
            all_headers.setdefault("X-CSRFToken", self.csrf)
        if body is not None:
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            self.base_url + url, data=body, method=method, headers=all_headers
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            error.close()
            return Answer(error.code, dict(error.headers), text)

    def get(self, url: str, **kwargs) -> Answer:
        return self.open("GET", url, **kwargs)

    def post(self, url: str, data=None, **kwargs) -> Answer:
        return self.open("POST", url, data=data if data is not None else {}, **kwargs)

    def fetch_csrf(self, url: str) -> str:
        """Load a page with a form (anonymous browsers) and keep its CSRF token."""
        page = self.get(url)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
            r'name="csrf-token" content="([^"]+)"', page.text
        )
        assert match, f"no CSRF token on {url} ({page.status})"
        self.csrf = match.group(1)
        return self.csrf


def wait_for_log(pattern, log, count: int, server, timeout: float = 60) -> list:
    """Wait until a server process's log holds ``count`` matches of ``pattern``."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.findall(log.read_text(errors="replace"))
        if len(found) >= count:
            return found
        assert server.poll() is None, f"the server exited:\n{log.read_text()}"
        time.sleep(0.1)
    raise AssertionError(f"no {pattern.pattern!r} x{count} in {timeout} s:\n{log.read_text()}")


def race(calls, workers: int | None = None) -> list:
    """Run the callables at (nearly) the same moment in threads; results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=workers or len(calls)) as pool:
        return list(pool.map(run, calls))


@dataclass
class FakeSMTP:
    """A minimal SMTP server on 127.0.0.1 in a thread. ``silent=True``: accepts connections
    and never answers (the server that made every booking request take 30 s)."""

    silent: bool = False
    messages: list = field(default_factory=list)

    def __post_init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.socket.settimeout(0.2)
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.socket.close()
        for connection in self.connections:
            connection.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(connection)
            if not self.silent:
                threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection: socket.socket):
        stream = connection.makefile("rb")

        def say(line: str):
            connection.sendall(line.encode() + b"\r\n")

        try:
            say("220 fake ESMTP")
            while line := stream.readline():
                command = line.decode().strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    say("250 fake")
                elif command == "DATA":
                    say("354 go on")
                    data = b""
                    while (chunk := stream.readline()) not in (b".\r\n", b""):
                        data += chunk
                    self.messages.append(message_from_bytes(data, policy=email.policy.default))
                    say("250 queued")
                elif command == "QUIT":
                    say("221 bye")
                    break
                else:
                    say("250 ok")
        except OSError:  # the test ended and closed the connection
            pass
        finally:
            connection.close()


# --- query discipline -----------------------------------------------------------------------


@contextlib.contextmanager
def count_statements(engine=None):
    """Collect the SQL statements sent to the database while the block runs (SQLAlchemy's
    ``before_cursor_execute``; an executemany counts once):

        with count_statements() as statements:
            client.get("/wolontariat/")
        assert len(statements) <= 12, "\n".join(statements)
    """
    engine = engine or db.engine
    statements: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
