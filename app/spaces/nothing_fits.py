"""Why venue matching found nothing: which requirement excludes every room ("the largest room
holds 120"), which combination does and what dropping one would give, or – when rooms fit but
not at that time – what stops each of them then (opening hours, a closure, the notice, a
booking and the break after it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.spaces import service
from app.spaces.models import Space, SpaceFeature, SpaceKind, TermsKind
from app.spaces.vocab import district_label, feature_label

TERMS_LABELS = {
    TermsKind.FREE: _l("bezpłatnie"),
    TermsKind.FEE: _l("odpłatnie"),
    TermsKind.BARTER: _l("barter"),
}
# Rooms whose reasons are looked at when they fit but not at the time asked for.
LOOKED_AT = 60
NAMES_SHOWN = 3


@dataclass
class Explanation:
    lead: str
    reasons: list[str] = field(default_factory=list)


def _count(*conditions) -> int:
    query = sa.select(sa.func.count(Space.id)).where(
        Space.listed(), Space.kind == SpaceKind.ROOM, *conditions
    )
    return db.session.scalar(query) or 0


def _requirements(need) -> list[tuple[str, str, object]]:
    """(kind, label, SQL condition) for each requirement of the need that is not a time."""
    found = [
        (
            "capacity",
            ngettext("dla %(num)d osoby", "dla %(num)d osób", need.people),
            sa.or_(Space.capacity.is_(None), Space.capacity >= need.people),
        )
    ]
    for code in dict.fromkeys([*need.equipment, *need.accessibility]):
        found.append(
            ("feature", feature_label(code), Space.features.any(SpaceFeature.code == code))
        )
    if need.districts:
        names = ", ".join(district_label(d) for d in need.districts)
        found.append(("districts", names, Space.district.in_(need.districts)))
    if need.terms:
        names = ", ".join(str(TERMS_LABELS[t]) for t in need.terms)
        found.append(("terms", names, Space.terms.in_(need.terms)))
    return found


def _alone(kind: str, label: str, need) -> str:
    if kind == "capacity":
        largest = db.session.scalar(
            sa.select(sa.func.max(Space.capacity)).where(
                Space.listed(), Space.kind == SpaceKind.ROOM
            )
        )
        return ngettext(
            "Największa sala mieści %(num)d osobę.", "Największa sala mieści %(num)d osób.", largest
        )
    if kind == "feature":
        return _("Żadna sala nie ma: %(feature)s.", feature=label)
    if kind == "districts":
        return _("W wybranych dzielnicach (%(districts)s) nie ma żadnej sali.", districts=label)
    return _("Żadna sala nie jest udostępniana na wybranych warunkach (%(terms)s).", terms=label)


def why_nothing_fits(need, *, now=None) -> Explanation:
    if not _count():
        return Explanation(_("W katalogu nie ma jeszcze żadnej sali."))
    requirements = _requirements(need)
    alone = [_alone(k, label, need) for k, label, cond in requirements if not _count(cond)]
    if alone:
        return Explanation(alone[0], alone[1:])
    fitting = _count(*(cond for _k, _label, cond in requirements))
    if not fitting:
        hints = []
        for index, (_kind, label, _cond) in enumerate(requirements):
            others = [r[2] for i, r in enumerate(requirements) if i != index]
            if n := _count(*others):
                hints.append(
                    ngettext(
                        "Bez wymagania „%(requirement)s” pasowałaby %(num)d sala.",
                        "Bez wymagania „%(requirement)s” pasowałoby %(num)d sal.",
                        n,
                        requirement=label,
                    )
                )
        return Explanation(_("Żadna sala nie spełnia naraz wszystkich wymagań."), hints)
    return Explanation(
        ngettext(
            "%(num)d sala spełnia wymagania, ale nie w tym terminie:",
            "%(num)d sal spełnia wymagania, ale nie w tym terminie:",
            fitting,
        ),
        _time_reasons(need, now),
    )


def _time_reasons(need, now) -> list[str]:
    """What stops each fitting room at the time asked for, rooms with the same reason
    together, the most common reason first."""
    from app.spaces.matching import candidates
    from app.spaces.service import closures_by_space

    count = need.count or 1
    days = service.occurrence_days(need.recurrence, need.day, until=None, count=count)
    # A school's fortnightly need is read on its A/B weeks, as matching and the request do.
    school_days = service.occurrence_days(
        need.recurrence, need.day, until=None, count=count, school_weeks=True
    )
    slots = [service.slot_for(d, need.start, need.end) for d in days]
    school_slots = [service.slot_for(d, need.start, need.end) for d in school_days]
    spaces = candidates(need, limit=LOOKED_AT)
    if not spaces:
        return []
    # One query each for the bookings and the closures of all of them, as matching does.
    every = sorted(set(slots) | set(school_slots))
    buffer = timedelta(minutes=max(s.buffer_minutes for s in spaces))
    holders = service.slot_holders(
        [s.id for s in spaces],
        every[0][0] - buffer - timedelta(hours=12),
        every[-1][1] + buffer,
        slots=every,
        rooms=service.all_rooms(spaces),
    )
    closures = closures_by_space(
        spaces, min(days[0], school_days[0]), max(days[-1], school_days[-1])
    )
    by_reason: dict[str, list[str]] = defaultdict(list)
    for space in spaces:
        school = service.uses_school_weeks(space)
        pattern = (
            zip(school_days, school_slots, strict=True) if school else zip(days, slots, strict=True)
        )
        for day, (starts_at, ends_at) in pattern:
            problems = service.rule_problems(
                space, starts_at, ends_at, now=now, closures=closures.get(space.id, [])
            )
            if not problems:
                conflicts = service.conflicts_for(
                    space, starts_at, ends_at, holders=holders.get(space.id, [])
                )
                if conflicts:
                    taken = _("Zajęte: %(when)s.", when=service.format_slot(conflicts[0]))
                    problems = [
                        taken,
                        *service.conflict_reasons(space, starts_at, ends_at, conflicts),
                    ]
            if problems:
                reason = " ".join(problems)
                if len(days) > 1:
                    reason = f"{format_date(day, 'd.MM')}: {reason}"
                by_reason[reason].append(space.name)
                break
    lines = []
    for reason, names in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            more = len(names) - NAMES_SHOWN
            shown += " " + ngettext("i %(num)d inna", "i %(num)d innych", more)
        lines.append(f"{shown} – {reason}")
    return lines
