"""Hostile input handled once, for every route: control characters, far dates, huge ids, and
spreadsheet formulas on the way out.

- Every query-string and form value reaches the app without NUL and other C0 control characters
  (tab, line feed and carriage return stay: text areas need them). PostgreSQL refuses NUL in
  text, XML 1.0 (the Atom feed) forbids the rest, and none belongs in a mail header or CSV cell.
- ``<int:...>`` in a URL matches only what the database's integer column holds, so
  ``/wolontariat/oferty/99999999999999999999`` is a 404 rather than an overflow.
- ``parse_date`` turns a query value into a date within a sane range, or None.
- ``csv_cell`` neutralises formula prefixes in exported CSV; ``csv_uncell`` undoes it on import.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Dates users can mean: the programme's history and its future, not year 1 or 9999 (which
# overflow as soon as a week or a day is added).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
# The range of a 32-bit signed integer column (PostgreSQL ``integer``).
MAX_DB_INT = 2**31 - 1
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(value: str) -> str:
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values without control characters (keys too)."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, dict) and not isinstance(mapping, ImmutableMultiDict):
            pairs = [
                (key, value)
                for key, values in mapping.items()
                for value in (values if isinstance(values, list | tuple) else [values])
            ]
        elif hasattr(mapping, "items") and hasattr(mapping, "getlist"):
            pairs = list(mapping.items(multi=True))
        else:
            pairs = list(mapping)
        super().__init__((strip_controls(key), strip_controls(value)) for key, value in pairs)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to what an integer column holds (bigger ids cannot exist)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def parse_date(value: str | None) -> date | None:
    """An ISO date within ``EARLIEST_DATE``..``LATEST_DATE``; anything else is None."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def csv_cell(value):
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading
    apostrophe (OWASP's advice); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_uncell(value: str) -> str:
    """What ``csv_cell`` wrote, read back (the open-data export imports back unchanged)."""
    if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def init_app(app) -> None:
    app.request_class = CleanRequest
    app.url_map.converters["int"] = DatabaseIntConverter
