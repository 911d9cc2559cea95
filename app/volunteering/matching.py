""" "Dla Ciebie": opportunities ranked for one volunteer, each with the reasons it matches.

The score is a sum of points, each with the reason shown to the volunteer:

====================================================  ======  ================================
match                                                 points  reason shown
====================================================  ======  ================================
the cause area is one of the volunteer's interests        3   the sphere's short name
an upcoming shift falls in a weekday × part of day        2   "sobota rano"
  the volunteer marked as available (first such shift)
the opportunity is in the volunteer's district            2   the district's name
  or else in a district bordering it (as staff               1   "obok: Mokre"
  recorded them at /urzad/slowniki)
the opportunity is online                                 1   "zdalnie"
a tag suits the volunteer's age (seniors welcome for      1   the tag's short name
  60+, youth tag for 13–17)
accessible tag when the volunteer noted access needs      1   "dostępne"
each needed skill the volunteer has (at most 2)           1   the skill
====================================================  ======  ================================

A reason is shown once even when it earns points twice (a sphere and a tag both "seniorzy").
Opportunities the volunteer cannot join are left out: too young, or no upcoming shift they are
not already signed up for (a flexible offer without shifts has nothing to sign up for; a
regular's next session still counts); so is anything scoring 0. Ties go to the sooner shift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.extensions import db
from app.timeutil import to_local
from app.vocabularies import neighbours
from app.volunteering.browse import listed_condition
from app.volunteering.models import (
    ACTIVE_STATUSES,
    Opportunity,
    Shift,
    Signup,
    VolunteerProfile,
)
from app.volunteering.service import PLATFORM_MIN_AGE, age_in_year
from app.volunteering.vocab import (
    DAYPART_LABELS,
    DISTRICT_NAMES,
    SPHERES_BY_CODE,
    TAG_SHORT,
    WEEKDAY_LABELS,
    availability_slot,
)

INTEREST_POINTS = 3
AVAILABILITY_POINTS = 2
DISTRICT_POINTS = 2
SMALL_POINTS = 1
MAX_SKILL_MATCHES = 2
SENIOR_AGE = 60


@dataclass
class Match:
    opportunity: Opportunity
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    next_start: datetime | None = None

    def add(self, points: int, reason) -> None:
        """The points count; a reason already given (a sphere and a tag both "seniorzy") is
        shown once."""
        self.score += points
        if str(reason) not in self.reasons:
            self.reasons.append(str(reason))


def _words(text: str) -> list[str]:
    return [w.strip().lower() for w in re.split(r"[,;\n]", text or "") if w.strip()]


def score(
    opportunity: Opportunity,
    profile: VolunteerProfile,
    now: datetime | None = None,
    shifts: list[Shift] | None = None,
) -> Match:
    """Score one opportunity for one profile (pure: reads only the two objects); ``shifts``:
    those the volunteer could still sign up for (default: every upcoming one)."""
    now = now or utcnow()
    match = Match(opportunity)
    shifts = opportunity.upcoming_shifts(now) if shifts is None else shifts
    if shifts:
        match.next_start = shifts[0].starts_at
    if opportunity.sphere in (profile.interests or []):
        match.add(INTEREST_POINTS, SPHERES_BY_CODE[opportunity.sphere].short)
    available = set(profile.availability or [])
    for shift in shifts:
        if availability_slot(shift.local_weekday, shift.local_daypart) in available:
            label = f"{WEEKDAY_LABELS[shift.local_weekday]} {DAYPART_LABELS[shift.local_daypart]}"
            match.add(AVAILABILITY_POINTS, label)
            break
    if profile.district and opportunity.district == profile.district:
        match.add(DISTRICT_POINTS, DISTRICT_NAMES[profile.district])
    elif profile.district and opportunity.district in neighbours().get(profile.district, ()):
        name = DISTRICT_NAMES.get(opportunity.district, opportunity.district)
        match.add(SMALL_POINTS, _l("obok: %(district)s", district=name))
    if opportunity.is_online:
        match.add(SMALL_POINTS, _l("zdalnie"))
    tags = set(opportunity.tag_codes)
    if profile.birth_year:
        age = age_in_year(profile.birth_year, to_local(now).date())
        if "seniors" in tags and age >= SENIOR_AGE:
            match.add(SMALL_POINTS, TAG_SHORT["seniors"])
        if "youth" in tags and age < 18:
            match.add(SMALL_POINTS, TAG_SHORT["youth"])
    if "accessible" in tags and (profile.accessibility_needs or "").strip():
        match.add(SMALL_POINTS, TAG_SHORT["accessible"])
    have = set(_words(profile.skills))
    for skill in [s for s in _words(opportunity.skills) if s in have][:MAX_SKILL_MATCHES]:
        match.add(SMALL_POINTS, skill)
    return match


def can_join(opportunity: Opportunity, profile: VolunteerProfile, now: datetime) -> bool:
    if profile.birth_year is None:
        return True
    age = age_in_year(profile.birth_year, to_local(now).date())
    return age >= max(opportunity.min_age or 0, PLATFORM_MIN_AGE)


def suggestions_for(
    user, profile: VolunteerProfile, now: datetime | None = None, limit: int = 20, since=None
) -> list[Match]:
    now = now or utcnow()
    # Only the shifts the person is signed up for now (or waits for) are left out: a regular
    # is nudged to next week's session, and a withdrawn offer may come back.
    mine = set(
        db.session.scalars(
            sa.select(Signup.shift_id).where(
                Signup.user_id == user.id, Signup.status.in_(ACTIVE_STATUSES)
            )
        )
    )
    query = sa.select(Opportunity).where(listed_condition(now))
    if since is not None:
        query = query.where(Opportunity.published_at >= since)
    matches = []
    for opportunity in db.session.scalars(query):
        if not can_join(opportunity, profile, now):
            continue
        # Nothing to sign up for (a flexible offer without shifts): not suggested, since the
        # suggestion would lead nowhere; the listing still shows it with its contact.
        open_shifts = [s for s in opportunity.upcoming_shifts(now) if s.id not in mine]
        if open_shifts:
            matches.append(score(opportunity, profile, now, open_shifts))
    matches = [m for m in matches if m.score > 0]
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    matches.sort(key=lambda m: (-m.score, m.next_start or far_future, m.opportunity.id))
    return matches[:limit]
