"""Database plumbing shared by every domain: the declarative base, UTC datetimes, SQLite's
writing transactions and work to run after commit."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    registry,
    scoped_session,
)

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


# --- SQLite: real transactions, foreign keys, and one writer at a time ----------------------
#
# pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front. A
# deferred transaction that reads and then writes is refused at once when another connection
# wrote in between (SQLITE_BUSY: busy_timeout does not apply to the upgrade), which is how two
# simultaneous logins gave a 500. So we switch pysqlite's handling off and emit BEGIN ourselves:
# a writing unit of work (every non-GET request, every job item; see app/unit_of_work.py) begins
# with ``BEGIN IMMEDIATE`` and waits its turn for the write lock instead of failing.
# PostgreSQL uses row locks and constraints instead.

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
    # 16 MiB of page cache per connection instead of SQLite's 2 MB: a city's bookings index
    # no longer falls out of the cache between two statements of one request (venue matching
    # 37 -> 25 ms, the volunteering list 40 -> 26 ms at city scale). A sync worker uses one
    # connection, so this is the most a worker holds.
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    immediate = bool(conn.get_execution_options().get(SQLITE_IMMEDIATE))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    conn.info["sqlite_immediate"] = immediate


def begin_write(session) -> None:
    """Make the session's transaction a writing one: on SQLite ``BEGIN IMMEDIATE`` (take the
    single write lock now, waiting up to the busy timeout); on PostgreSQL nothing (callers lock
    the rows they depend on and constraints do the final guarding).

    A read-only transaction already open on SQLite is ended first: it cannot be upgraded safely.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.connection().info.get("sqlite_immediate"):
            return
        if session.new or session.dirty or session.deleted or session.info.get(_FLUSHED):
            raise RuntimeError("begin_write() after changes were made in a read transaction")
        session.rollback()
    session.connection(execution_options={SQLITE_IMMEDIATE: True})


def is_sqlite(session) -> bool:
    if isinstance(session, scoped_session):
        session = session()
    return session.get_bind().dialect.name == "sqlite"


# --- work to do once the transaction has committed -------------------------------------------
#
# Side effects (queueing a mail, a job) must not happen for a change that rolls back. They are
# registered on the session's innermost transaction: a savepoint that is released hands them to
# its parent, one that rolls back drops them, and they run when the outermost transaction has
# committed and given its connection back to the pool (a callback that opens another, such as an
# immediate mail job in tests, never needs two at once).

_CALLBACKS = "after_commit_callbacks"
_COMMITTING = "after_commit_committing"
_FLUSHED = "flushed_in_transaction"
_WROTE = "statement_wrote_in_transaction"


def _innermost(session):
    return session.get_nested_transaction() or session.get_transaction()


@event.listens_for(Session, "after_flush")
def _remember_flush(session, flush_context) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(Session, "do_orm_execute")
def _remember_statement_write(orm_execute_state) -> None:
    # INSERT/UPDATE/DELETE through session.execute() write without a flush.
    if orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete:
        orm_execute_state.session.info[_WROTE] = True


# Called after every committed transaction that wrote anything (the page cache's generation,
# app/page_cache.py): hooked here, in the unit of work's own commit path, so no writer can
# forget it.
_COMMITTED_WRITE_HOOKS: list = []


def on_committed_write(hook) -> None:
    if hook not in _COMMITTED_WRITE_HOOKS:
        _COMMITTED_WRITE_HOOKS.append(hook)


def after_commit(session, callback) -> None:
    """Run ``callback()`` once the session's outermost transaction commits; never if the
    change it is about rolls back (the transaction, or the savepoint it was made in)."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_CALLBACKS, {}).setdefault(_innermost(session), []).append(callback)


@event.listens_for(Session, "after_commit")
def _committing(session) -> None:
    session.info[_COMMITTING] = True  # the transaction ending next was committed


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    committed = session.info.pop(_COMMITTING, False)
    pending = session.info.get(_CALLBACKS, {})
    callbacks = pending.pop(transaction, [])
    if transaction.parent is None:
        wrote = session.info.pop(_FLUSHED, False) | session.info.pop(_WROTE, False)
        session.info.pop(_CALLBACKS, None)
        if committed:
            if wrote:
                for hook in _COMMITTED_WRITE_HOOKS:
                    hook()
            for callback in callbacks:
                callback()
    elif committed:  # a released savepoint: its work now belongs to the enclosing transaction
        pending.setdefault(transaction.parent, []).extend(callbacks)


def enum_type(enum_cls: type, length: int = 20, *, name: str | None = None) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint (no native PostgreSQL type, which
    would need hand-written migrations for every new value). ``name`` names the CHECK
    constraint when one table has two columns of the same enum (names are unique on PostgreSQL)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name or enum_cls.__name__.lower(),
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


# --- elapsed time in SQL, the same on both databases ------------------------------------------


class elapsed_micros(sa.sql.functions.FunctionElement):
    """``end - start`` of two UTC datetime columns in whole microseconds, an integer the
    database can sum, compare and order exactly as Python's ``(end - start)`` would (reports:
    hours of use, response times, late cancellations).

    PostgreSQL: the epoch of the interval between them (an exact numeric; the interval's days are
    24 hours each, as the subtraction made them). SQLite keeps ``YYYY-MM-DD HH:MM:SS.ffffff``
    text, and its ``julianday()`` keeps milliseconds: the difference of the two parts up to the
    milliseconds, in whole milliseconds (the doubles are exact to well under one), plus that of
    the last three digits. Checked against Python on 200,000 random pairs; about twice as fast as
    going through ``strftime('%s')``.
    """

    type = sa.BigInteger()
    inherit_cache = True
    name = "elapsed_micros"


@compiles(elapsed_micros)
def _elapsed_micros_postgresql(element, compiler, **kw):
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end}) - ({start})) * 1000000 AS BIGINT)"


@compiles(elapsed_micros, "sqlite")
def _elapsed_micros_sqlite(element, compiler, **kw):
    start, end = element.clauses

    def sql(x) -> str:  # each use compiled afresh: a bound parameter is bound each time
        return compiler.process(x, **kw)

    millis = (
        f"CAST(round((julianday(substr({sql(end)}, 1, 23)) - "
        f"julianday(substr({sql(start)}, 1, 23))) * 86400000) AS INTEGER)"
    )
    rest = (
        f"CAST(substr({sql(end)}, 24, 3) AS INTEGER) - CAST(substr({sql(start)}, 24, 3) AS INTEGER)"
    )
    return f"({millis} * 1000 + {rest})"
