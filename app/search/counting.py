"""Capped hit counts: hits are counted exactly up to the cap (config ``SEARCH_COUNT_CAP``,
default 1000); a count above it is cap + 1, shown as "more than <cap>" (``capped``). At 100,000
organisations a common word matched a third of them and counting them all was most of a search;
a capped count stops after cap + 1 rows (issue 14)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.extensions import db

COUNT_CAP = 1000


def count_cap() -> int:
    return current_app.config.get("SEARCH_COUNT_CAP", COUNT_CAP)


def capped(count: int) -> bool:
    """Whether ``count`` (of ``search`` or ``capped_count``) stands for "more than the cap"."""
    return count > count_cap()


def capped_count(statement, session=None) -> int:
    """The rows of ``statement`` counted up to the cap; cap + 1 when there are more."""
    session = session or db.session
    limited = statement.limit(count_cap() + 1).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(limited))
