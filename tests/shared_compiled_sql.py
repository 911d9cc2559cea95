"""One SQL compilation per statement for the whole test session.

SQLAlchemy caches compiled statements per engine, keyed by the engine's dialect object, and each
test's app makes a new engine (a new database file or a reset one), so every statement a test
ran was compiled again: a fifth of the suite's time. Engines of the same kind of database and
the same options share one initialised dialect and one compiled cache here; what a statement
compiles to depends on the dialect and the statement only, never on the rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.util import LRUCache

ORIGINAL = SQLAlchemy._make_engine
_shared: dict[tuple, tuple] = {}


def _make_engine(self, bind_key, options, app) -> sa.engine.Engine:
    engine = ORIGINAL(self, bind_key, options, app)
    other = tuple(sorted((k, repr(v)) for k, v in options.items() if k != "url"))
    key = (type(engine.dialect), engine.url.drivername, other)
    if key not in _shared:
        try:
            with engine.connect():  # the dialect learns the server's version and settings
                pass
        except sa.exc.OperationalError:  # a database a test made unreachable: its own dialect
            return engine
        _shared[key] = (engine.dialect, LRUCache(5000))
    engine.dialect, engine._compiled_cache = _shared[key]
    return engine


def install() -> None:
    SQLAlchemy._make_engine = _make_engine
