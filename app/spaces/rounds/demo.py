"""A demo round in allocation at CAL 2.Piętro: three organisations applied, two of them for the
same Tuesday afternoon in the workshop room (a clash on the board), and a youth group larger
than the meeting room (capacity shown). Idempotent: added once, looked up by name."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.spaces.rounds.models import (
    AgeGroup,
    Allocation,
    AllocationRound,
    Priority,
    RoomWish,
    RoundActivity,
    RoundApplication,
    RoundSpace,
    RoundStatus,
    RoundWindow,
    TermKind,
    TimeRange,
)
from app.timeutil import local_today

DEMO_ROUND = "Nabór na stałe zajęcia – CAL 2.Piętro"
OPEN_ROUND = "Nabór na zajęcia pozalekcyjne – SP 7"


def _monday(weeks: int) -> date:
    day = local_today() + timedelta(weeks=weeks)
    return day - timedelta(days=day.weekday())


def load(spaces: dict, users: dict, organisations: dict) -> None:
    _load_open_round(spaces, users)
    if db.session.scalar(sa.select(AllocationRound.id).where(AllocationRound.name == DEMO_ROUND)):
        return
    workshop, meeting = spaces["cal-sala-warsztatowa"], spaces["cal-pokoj-spotkan"]
    # Far enough ahead that the demo's own bookings and the browser flows are not held.
    first = _monday(9)
    round_ = AllocationRound(
        provider=workshop.provider,
        name=DEMO_ROUND,
        term_kind=TermKind.SEMESTER,
        season_starts_on=first,
        season_ends_on=first + timedelta(weeks=15, days=4),
        applications_close_on=local_today() - timedelta(days=2),
        description="Cotygodniowe zajęcia organizacji we wtorki i czwartki po południu.",
        status=RoundStatus.ALLOCATING,
        created_by_id=users["cal_manager"].id,
        round_spaces=[RoundSpace(space=workshop), RoundSpace(space=meeting)],
        windows=[RoundWindow(weekday=d, starts=time(16), ends=time(20)) for d in (1, 3)],
    )
    db.session.add(round_)

    def activity(organisation, user, name, people, age, wishes, ranges, allocations=()):
        application = RoundApplication(
            round=round_,
            organisation=organisations[organisation],
            submitted_by=users.get(user) if user else None,
            contact="",
        )
        application.activities.append(
            RoundActivity(
                name=name,
                participants=people,
                age_group=age,
                sessions_per_week=1,
                min_minutes=90,
                max_minutes=120,
                wishes=[RoomWish(space=s, rank=n) for n, s in enumerate(wishes, 1)],
                time_ranges=[
                    TimeRange(weekday=d, starts=s, ends=e, priority=p) for d, s, e, p in ranges
                ],
                allocations=[
                    Allocation(
                        space=s,
                        weekday=d,
                        start_time=b,
                        end_time=e,
                        allocated_by_id=users["cal_manager"].id,
                    )
                    for s, d, b, e in allocations
                ],
            )
        )
        db.session.add(application)

    primary, secondary = Priority.PRIMARY, Priority.SECONDARY
    activity(
        "fundacja-razem-dla-seniora",
        "ngo_owner",
        "Gimnastyka dla seniorów",
        16,
        AgeGroup.SENIORS,
        [workshop, meeting],
        [(1, time(16), time(18), primary), (3, time(16), time(18), secondary)],
        [(workshop, 1, time(16), time(18))],
    )
    activity(
        "stowarzyszenie-rubinkowo-sasiedzi",
        "ngo_owner2",
        "Klub gier planszowych",
        14,
        AgeGroup.MIXED,
        [workshop],
        [(1, time(17), time(19), primary), (3, time(17), time(19), secondary)],
        # The clash staff have to resolve: the same room on Tuesday, an hour later.
        [(workshop, 1, time(17), time(19))],
    )
    activity(
        "fundacja-mlodzi-na-skarpie",
        None,
        "Próby teatru młodzieżowego",
        18,
        AgeGroup.YOUTH,
        [meeting, workshop],
        [(3, time(18), time(20), primary)],
        # Allocated to the meeting room it asked for, which holds 12: the board says so.
        [(meeting, 3, time(18), time(20))],
    )
    db.session.flush()


def _load_open_round(spaces: dict, users: dict) -> None:
    """A school's round taking applications (the browser flow applies to it)."""
    if db.session.scalar(sa.select(AllocationRound.id).where(AllocationRound.name == OPEN_ROUND)):
        return
    gym, classroom = spaces["sp7-sala-gimnastyczna"], spaces["sp7-sala-12"]
    first = _monday(10)
    db.session.add(
        AllocationRound(
            provider=gym.provider,
            name=OPEN_ROUND,
            term_kind=TermKind.SEMESTER,
            season_starts_on=first,
            season_ends_on=first + timedelta(weeks=14, days=4),
            applications_close_on=local_today() + timedelta(days=21),
            description="Sala gimnastyczna i sala 12 w poniedziałki i środy po lekcjach.",
            status=RoundStatus.OPEN,
            created_by_id=users["school_manager"].id,
            round_spaces=[RoundSpace(space=gym), RoundSpace(space=classroom)],
            windows=[RoundWindow(weekday=d, starts=time(16), ends=time(20)) for d in (0, 2)],
        )
    )
    db.session.flush()
