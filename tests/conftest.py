"""Test fixtures: an app per test on a real database, clients, and users of every role.

The suite runs on SQLite always and, when TEST_DATABASE_URL is set, on PostgreSQL too: every test
that uses the ``app`` fixture is run once per database (ids ``[sqlite]`` / ``[postgresql]``).
The schema is built by the Alembic migrations, once per session; each test starts from empty
tables (a fresh copy of the SQLite file, TRUNCATE on PostgreSQL).
"""

from __future__ import annotations

import itertools
import shutil

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db
from tests.helpers import (  # noqa: F401  (re-exported for tests that import them from here)
    BACKENDS,
    SECRET_KEY,
    TEST_DATABASE_URL,
    TEST_PASSWORD,
    Auth,
    CSRFClient,
    LiveServer,
    _pg_copy,
    _pg_url,
    make_test_app,
    migrate_to_head,
    recreate_pg_database,
)
from tests.shared_compiled_sql import install as install_shared_compiled_sql
from tests.url_builders import install as install_url_builder_cache

install_url_builder_cache()
install_shared_compiled_sql()


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


@pytest.fixture
def demo_client(demo_app) -> CSRFClient:
    return demo_app.test_client()


@pytest.fixture
def demo_auth(demo_client) -> Auth:
    return Auth(demo_client)


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
        consented: bool = True,
    ) -> User:
        """A user; ``consented``: has accepted the current terms and privacy notice."""
        from app.accounts.consents import record_consents

        user = User(
            email=email or f"user{next(_counter)}@example.org",
            name=name,
            password_hash=password_hash,
            is_staff=staff,
            confirmed_at=utcnow() if confirmed else None,
            locale=locale,
        )
        db.session.add(user)
        db.session.flush()
        if consented:
            record_consents(user)
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


@pytest.fixture
def live_server(app):
    """The test app served over real HTTP on 127.0.0.1 by a threaded server."""
    app.config["SERVER_NAME"] = None
    with LiveServer(app) as server:
        yield server
