"""The minimum hourly rate (minimalna stawka godzinowa) in force on a given day.

Work that needs no qualifications is valued in a grant settlement (wkład osobowy) at the
minimum hourly rate, and the rate that counts is the one in force on the day of the work: a
grant that runs across 31 December values December's hours at the old rate and January's at
the new one. The Council of Ministers sets the rate each September for the next year (act of
10 October 2002 on the minimum wage, art. 2 ust. 3a-5); the regulations and their figures are
listed in docs/volunteering.md ("The minimum hourly rate"). A new year's figure is one line
below, added when its regulation is published.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal

# (in force from, PLN per hour, the regulation that set it), oldest first.
MINIMUM_HOURLY_RATES: tuple[tuple[date, Decimal, str], ...] = (
    (date(2024, 1, 1), Decimal("27.70"), "rozporządzenie Rady Ministrów z 14 września 2023 r."),
    (date(2024, 7, 1), Decimal("28.10"), "rozporządzenie Rady Ministrów z 14 września 2023 r."),
    (date(2025, 1, 1), Decimal("30.50"), "rozporządzenie Rady Ministrów z 12 września 2024 r."),
    (date(2026, 1, 1), Decimal("31.40"), "rozporządzenie Rady Ministrów z 11 września 2025 r."),
)
_STARTS = [start for start, _rate, _source in MINIMUM_HOURLY_RATES]


def minimum_hourly_rate(day: date) -> Decimal | None:
    """The rate in force on ``day`` (a Warsaw calendar day); None before the table begins."""
    index = bisect_right(_STARTS, day) - 1
    return MINIMUM_HOURLY_RATES[index][1] if index >= 0 else None


def minimum_rate_source(day: date) -> str:
    index = bisect_right(_STARTS, day) - 1
    return MINIMUM_HOURLY_RATES[index][2] if index >= 0 else ""
