"""Times are stored in UTC and shown in Europe/Warsaw. Convert only at the edges, here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def to_local(moment: datetime) -> datetime:
    """An aware datetime as Warsaw wall-clock time."""
    return moment.astimezone(WARSAW)


def local_to_utc(day: date, at: time) -> datetime:
    """Warsaw wall-clock ``day`` + ``at`` as an aware UTC datetime.

    In the autumn hour that occurs twice we take the first (summer-time) occurrence; in the spring
    hour that does not exist, zoneinfo moves forward by the gap, as people do with their clocks.
    """
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=WARSAW, fold=0)
    # Round-trip to normalise non-existent spring-forward times.
    return aware.astimezone(UTC)


def local_today() -> date:
    return datetime.now(WARSAW).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where Warsaw ``day`` starts and the next day starts (23, 24 or 25 h)."""
    return local_to_utc(day, time()), local_to_utc(day + timedelta(days=1), time())
