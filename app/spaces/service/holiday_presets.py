"""Closures in one click: Polish public holidays (the ``holidays`` package) and the school
year's breaks in Kujawsko-Pomorskie; and the school calendar of A/B weeks.

A preset is previewed first (what would be added, what is already there), then applied as
closures of the whole provider. Applying twice adds nothing the second time: days already covered by
one of the provider's closures count as present, and the provider's row is locked
while the preset is applied, so two clicks at once cannot both add it.

A/B weeks: the school's alternation counts school weeks only. A week with no school day (the
winter break, the summer holidays) has no letter, and the week after it continues where the
school left off, so a school's "week B" after the break is still the week B its timetable
expects (a plain even/odd calendar week would be wrong after every break of odd length).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.spaces.models import Closure, ClosureReason, Provider, ProviderKind

# --- the school year 2026/27 in Kujawsko-Pomorskie -------------------------------------------
# Source: Rozporządzenie Ministra Edukacji Narodowej z dnia 11 sierpnia 2017 r. w sprawie
# organizacji roku szkolnego (Dz.U. 2017 poz. 1603, with later amendments): the Christmas break
# 23–31 December, the Easter break from Thursday before Easter to the Tuesday after it, the
# summer holidays from the Saturday after the last Friday of June; the winter break (ferie)
# rotates between groups of voivodeships – for Kujawsko-Pomorskie in 2027 it is 15–28 February
# (the annex's 2027 column). Next year: add a ``SchoolYear`` for 2027/28 below (ferie for
# Kujawsko-Pomorskie 17–30 January 2028) and check the dates against the regulation.


@dataclass(frozen=True)
class Break:
    starts_on: date
    ends_on: date
    note: str  # Polish, as every closure note the provider types


@dataclass(frozen=True)
class SchoolYear:
    label: str
    starts_on: date  # the first school day
    ends_on: date  # the last school day (the last Friday of June)
    breaks: tuple[Break, ...]


SCHOOL_YEARS = (
    SchoolYear(
        "2026/27",
        date(2026, 9, 1),
        date(2027, 6, 25),
        (
            Break(date(2026, 12, 23), date(2026, 12, 31), "zimowa przerwa świąteczna"),
            Break(date(2027, 2, 15), date(2027, 2, 28), "ferie zimowe (kujawsko-pomorskie)"),
            Break(date(2027, 3, 25), date(2027, 3, 30), "wiosenna przerwa świąteczna"),
            Break(date(2027, 6, 26), date(2027, 8, 31), "wakacje"),
        ),
    ),
)


def school_year_for(day: date) -> SchoolYear | None:
    for year in SCHOOL_YEARS:
        if year.starts_on <= day <= (year.breaks[-1].ends_on if year.breaks else year.ends_on):
            return year
    return None


def current_or_next_school_year(today: date) -> SchoolYear | None:
    return school_year_for(today) or next((y for y in SCHOOL_YEARS if y.starts_on > today), None)


# --- presets ---------------------------------------------------------------------------------

PRESETS = ("public-holidays", "school-breaks")


@dataclass
class PresetItem:
    starts_on: date
    ends_on: date
    reason: ClosureReason
    note: str
    present: bool = False


def preset_label(preset: str) -> str:
    return {
        "public-holidays": _("Święta państwowe (dni ustawowo wolne od pracy)"),
        "school-breaks": _("Przerwy w roku szkolnym (kujawsko-pomorskie)"),
    }[preset]


def public_holidays(first: date, last: date) -> list[PresetItem]:
    """Polish public holidays between the two days (Sundays included: a closure of a Sunday
    holiday such as Easter Sunday still tells NGOs why the room is closed)."""
    import holidays  # (a fifth of a second to import: only when a preset is asked for)

    found = holidays.Poland(years=range(first.year, last.year + 1), language="pl")
    return [
        PresetItem(day, day, ClosureReason.PUBLIC_HOLIDAY, name)
        for day, name in sorted(found.items())
        if first <= day <= last
    ]


def school_breaks(year: SchoolYear) -> list[PresetItem]:
    return [
        PresetItem(b.starts_on, b.ends_on, ClosureReason.SCHOOL_HOLIDAY, b.note)
        for b in year.breaks
    ]


def preset_items(provider: Provider, preset: str, today: date) -> list[PresetItem]:
    """What ``preset`` would add for the provider, each marked when already present."""
    if preset == "school-breaks":
        year = current_or_next_school_year(today)
        items = [i for i in school_breaks(year) if i.ends_on >= today] if year else []
    elif preset == "public-holidays":
        items = public_holidays(today, today + timedelta(days=365))
    else:
        raise KeyError(preset)
    existing = list(
        db.session.scalars(sa.select(Closure).where(Closure.provider_id == provider.id))
    )
    for item in items:
        # Already closed on every one of its days (by this preset before, or by hand).
        item.present = any(
            c.starts_on <= item.starts_on and c.ends_on >= item.ends_on for c in existing
        )
    return items


def apply_preset(provider: Provider, preset: str, today: date) -> list[Closure]:
    """Add the preset's missing closures to the whole provider; returns what was added."""
    from app.spaces.service.settings import notify_closure

    # Two clicks at once: the second waits here and then sees the first one's closures.
    db.session.execute(sa.select(Provider.id).where(Provider.id == provider.id).with_for_update())
    added = []
    for item in preset_items(provider, preset, today):
        if item.present:
            continue
        closure = Closure(
            provider_id=provider.id,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
            reason=item.reason,
            note=item.note,
        )
        db.session.add(closure)
        db.session.flush()
        notify_closure(closure)
        added.append(closure)
    return added


def offers_school_presets(provider: Provider) -> bool:
    return provider.kind == ProviderKind.SCHOOL


# --- A/B weeks -------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _is_school_week(year: SchoolYear, monday: date, closed: frozenset[date]) -> bool:
    """A week with at least one school day (Monday–Friday, within the year, not a break, not
    a public holiday)."""
    for offset in range(5):
        day = monday + timedelta(days=offset)
        if year.starts_on <= day <= year.ends_on and day not in closed:
            return True
    return False


@cache
def _closed_days(year: SchoolYear) -> frozenset[date]:
    closed = set()
    for b in year.breaks:
        day = b.starts_on
        while day <= b.ends_on:
            closed.add(day)
            day += timedelta(days=1)
    import holidays

    found = holidays.Poland(years=(year.starts_on.year, year.ends_on.year))
    closed.update(found.keys())
    return frozenset(closed)


def ab_week(day: date) -> str | None:
    """``"A"`` or ``"B"`` for the school week containing ``day``, None outside school weeks
    (breaks, holidays, outside a known school year). The first school week is A."""
    year = school_year_for(day)
    if year is None:
        return None
    closed = _closed_days(year)
    target = _monday(day)
    if not _is_school_week(year, target, closed):
        return None
    count = 0
    monday = _monday(year.starts_on)
    while monday < target:
        if _is_school_week(year, monday, closed):
            count += 1
        monday += timedelta(days=7)
    return "A" if count % 2 == 0 else "B"


def school_weeks(first: date, letter: str, count: int) -> list[date]:
    """The Mondays of the next ``count`` school weeks lettered ``letter`` from ``first`` on
    (for an A/B pattern that follows the school rather than the calendar)."""
    found: list[date] = []
    monday = _monday(first)
    for _step in range(120):
        if len(found) >= count:
            break
        if ab_week(monday) == letter:
            found.append(monday)
        monday += timedelta(days=7)
    return found


def school_fortnights(first: date, *, until: date | None, limit: int) -> list[date] | None:
    """A fortnightly series by the school's A/B weeks: ``first`` and the same weekday of
    every later school week with ``first``'s letter (weeks of a break have no letter and are
    passed over). Beyond the school years known here it goes on by calendar fortnights from its
    last day. None when ``first`` is in no school week (a break, an unknown year): then the
    series is a calendar fortnight from the start."""
    letter = ab_week(first)
    if letter is None:
        return None
    days = [first]
    day = first
    for _week in range(520):  # ten years of weeks: a bound, never reached with ``limit``
        if len(days) >= limit:
            break
        day += timedelta(days=7)
        if until is not None and day > until:
            break
        if school_year_for(day) is None:
            if (day - days[-1]).days >= 14:
                days.append(day)
        elif ab_week(day) == letter:
            days.append(day)
    return days
