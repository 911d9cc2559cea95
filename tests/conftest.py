"""Test fixtures: an app per test on a real database, clients, and users of every role.

The suite runs on SQLite always and, when TEST_DATABASE_URL is set, on PostgreSQL too: every test
that uses the ``app`` fixture is run once per database (ids ``[sqlite]`` / ``[postgresql]``).
The schema is built by the Alembic migrations, once per session; each test starts from empty
tables (a fresh copy of the SQLite file, TRUNCATE on PostgreSQL).
"""

from __future__ import annotations

import contextvars
import hashlib
import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
TEST_PASSWORD = "Test-password-42"
SECRET_KEY = "test-secret-key"


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


def migrate_to_head(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """`make test` compiles the catalogue; a bare `pytest` run does it here."""
    from app.translations_tool import compile_all

    compile_all()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory, worker_id) -> dict[str, str]:
    """One migrated database per backend and per xdist worker."""
    templates = {}
    sqlite_file = tmp_path_factory.mktemp("db") / "template.sqlite"
    migrate_to_head(f"sqlite:///{sqlite_file}")
    templates["sqlite"] = str(sqlite_file)
    if TEST_DATABASE_URL:
        database = sa.make_url(TEST_DATABASE_URL).database or "wspolnie_test"
        url = recreate_pg_database(f"{database}_{worker_id}")
        migrate_to_head(url)
        templates["postgresql"] = url
    return templates


def _truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


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
        "SERVER_NAME": "localhost",
        # A job (mail delivery) runs in the test when its transaction commits.
        "JOBS_BACKEND": "immediate",
    }
    settings.update(config)
    return create_app(settings)


def _pg_copy(template: str, target_url: str) -> str:
    """A fresh PostgreSQL database cloned from ``template`` (a file copy on the server)."""
    name = sa.make_url(target_url).database
    admin = sa.create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return target_url


@pytest.fixture(scope="session")
def demo_database_templates(database_templates, tmp_path_factory, worker_id) -> dict[str, str]:
    """The demo data loaded once per session and backend; each ``demo_app`` gets a copy."""
    from app.demo import load_demo_data

    templates = {}
    for backend in BACKENDS:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
            shutil.copyfile(database_templates["sqlite"], path)
            url = f"sqlite:///{path}"
        else:
            database = sa.make_url(TEST_DATABASE_URL).database or "wspolnie_test"
            url = recreate_pg_database(f"{database}_{worker_id}_demo")
            migrate_to_head(url)
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "TESTING": True}
        )
        with app.app_context():
            load_demo_data()
            db.session.remove()
            db.engine.dispose()
        if backend == "sqlite":
            templates["sqlite"] = str(path)
        else:
            templates["postgresql-template"] = sa.make_url(url).database
            templates["postgresql"] = _pg_url(f"{database}_{worker_id}_democopy")
    return templates


@pytest.fixture
def demo_app(backend, demo_database_templates, tmp_path):
    """An app on a database that already holds the demo data (loaded once per session)."""
    app = make_test_app(backend, demo_database_templates, tmp_path)
    app.test_client_class = CSRFClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's settings."""
    return {}


@pytest.fixture
def app(backend, database_templates, tmp_path, app_config):
    app = make_test_app(backend, database_templates, tmp_path, **app_config)
    app.test_client_class = CSRFClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


# --- users and roles ---------------------------------------------------------------------

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Hashing is deliberately slow; one hash serves every test user.
    return generate_password_hash(TEST_PASSWORD, method="scrypt")


@pytest.fixture
def make_user(app, password_hash):
    from app.accounts.models import User
    from app.db import utcnow

    def make_user(
        email: str | None = None,
        *,
        name: str = "Anna Testowa",
        staff: bool = False,
        confirmed: bool = True,
        locale: str | None = None,
    ) -> User:
        user = User(
            email=email or f"user{next(_counter)}@example.org",
            name=name,
            password_hash=password_hash,
            is_staff=staff,
            confirmed_at=utcnow() if confirmed else None,
            locale=locale,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make_user


@pytest.fixture
def make_organisation(app):
    from app.organisations.models import MemberRole, Membership, Organisation

    def make_organisation(name: str | None = None, *, owner=None, editors=(), **fields):
        number = next(_counter)
        organisation = Organisation(
            name=name or f"Fundacja Testowa {number}",
            slug=fields.pop("slug", f"fundacja-testowa-{number}"),
            **fields,
        )
        if owner is not None:
            organisation.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
        for editor in editors:
            organisation.memberships.append(Membership(user=editor, role=MemberRole.EDITOR))
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make_organisation


@pytest.fixture
def make_provider(app):
    from app.spaces.models import Provider, ProviderKind, ProviderManager

    def make_provider(name: str | None = None, *, managers=(), kind=ProviderKind.SCHOOL, **fields):
        number = next(_counter)
        provider = Provider(
            name=name or f"Szkoła Podstawowa nr {number}",
            slug=fields.pop("slug", f"szkola-{number}"),
            kind=kind,
            **fields,
        )
        for manager in managers:
            provider.managers.append(ProviderManager(user=manager))
        db.session.add(provider)
        db.session.commit()
        return provider

    return make_provider


@pytest.fixture
def volunteer(make_user):
    return make_user("wolontariusz@example.org", name="Ola Wolontariuszka")


@pytest.fixture
def staff(make_user):
    return make_user("urzad@example.org", name="Urzędniczka Miejska", staff=True)


@pytest.fixture
def ngo_owner(make_user):
    return make_user("wlasciciel@example.org", name="Kasia Właścicielka")


@pytest.fixture
def organisation(make_organisation, ngo_owner):
    return make_organisation("Fundacja Razem", owner=ngo_owner)


@pytest.fixture
def provider_manager(make_user):
    return make_user("dyrektor@example.org", name="Dyrektorka Szkoły")


@pytest.fixture
def provider(make_provider, provider_manager):
    return make_provider("Szkoła Podstawowa nr 7", managers=[provider_manager])


class Auth:
    def __init__(self, client: CSRFClient):
        self.client = client

    def login(self, user) -> None:
        """Log ``user`` in without the form (fast); the login form has its own tests."""
        with self.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    def login_with_form(self, email: str, password: str = TEST_PASSWORD, **extra):
        return self.client.post(
            "/konto/logowanie", data={"email": email, "password": password, **extra}
        )

    def logout(self):
        return self.client.post("/konto/wyloguj")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def outbox(app):
    """The e-mails sent so far (the outbox table), newest last."""
    from app.mail import OutboxMessage

    def outbox() -> list[OutboxMessage]:
        return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))

    return outbox


# --- a live server for concurrency and browser tests ---------------------------------------


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


@pytest.fixture
def live_server(app):
    """The test app served over real HTTP on 127.0.0.1 by a threaded server."""
    app.config["SERVER_NAME"] = None
    with LiveServer(app) as server:
        yield server
