"""Database plumbing shared by every domain: the declarative base, UTC datetimes and write locks."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry, scoped_session

# Stable constraint names keep migrations readable and let us refer to constraints by name
# (for instance to turn an IntegrityError into a user-facing message).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """An aware datetime stored in UTC.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones, so we store naive UTC and
    re-attach UTC on the way out. Naive datetimes are refused: they are almost always a bug.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- SQLite: real transactions, foreign keys, and a way to serialise writers -----------------
#
# pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front, which
# makes "check, then insert" racy. We switch it off and emit BEGIN ourselves, so a unit of work can
# ask for ``BEGIN IMMEDIATE`` (see ``write_lock``) and hold SQLite's single write lock for its
# whole duration. PostgreSQL uses row locks and constraints instead.

SQLITE_IMMEDIATE = "sqlite_begin_immediate"


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    if conn.get_execution_options().get(SQLITE_IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


@contextmanager
def write_lock(session):
    """Run a unit of work that must not interleave with other writers.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, others wait up
    to the busy timeout). On PostgreSQL it is an ordinary transaction: callers lock the rows they
    depend on (``with_for_update``) and constraints do the final guarding. Commits on success,
    rolls back on any exception.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={SQLITE_IMMEDIATE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def enum_type(enum_cls: type, length: int = 20) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint (no native PostgreSQL type, which
    would need hand-written migrations for every new value)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=enum_cls.__name__.lower(),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# Database objects that Alembic autogenerate must not touch: hand-written in migrations because
# autogenerate cannot express them (SQLite FTS5 virtual tables and their shadow tables, ...).
# Domains add their names here at import time.
AUTOGENERATE_IGNORED_TABLE_PREFIXES: set[str] = set()


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    ignored = tuple(AUTOGENERATE_IGNORED_TABLE_PREFIXES)
    return not (type_ == "table" and name and ignored and name.startswith(ignored))
