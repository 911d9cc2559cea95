"""Rounds as plain functions: set up and open a round, apply, allocate on the board,
reopen, generate the series and mail the results. They flush, never commit, and refuse with
``DomainError``. Status changes are conditional updates (``_advance``), so two people pressing
"generate" at once cannot both generate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.spaces.models import Provider, Recurrence, Space
from app.spaces.rounds.holds import forget_holds, ignoring_hold
from app.spaces.rounds.models import (
    AgeGroup,
    Allocation,
    AllocationRound,
    Priority,
    RoomWish,
    RoundActivity,
    RoundApplication,
    RoundStatus,
    TermKind,
    TimeRange,
)
from app.spaces.rounds.setup import (  # noqa: F401 (re-exported)
    EDITABLE_STATUSES,
    RoundSetup,
    create_round,
    edit_round,
)
from app.spaces.service.planning import BookingRequest, plan_request, request_problems
from app.templating import local_datetime
from app.timeutil import to_local

WEEKDAYS = (
    _l("poniedziałek"),
    _l("wtorek"),
    _l("środa"),
    _l("czwartek"),
    _l("piątek"),
    _l("sobota"),
    _l("niedziela"),
)
STATUS_LABELS = {
    RoundStatus.DRAFT: _l("szkic"),
    RoundStatus.OPEN: _l("przyjmuje wnioski"),
    RoundStatus.ALLOCATING: _l("przydział terminów"),
    RoundStatus.RESULTS_SENT: _l("wyniki wysłane"),
}
TERM_LABELS = {TermKind.SCHOOL_YEAR: _l("rok szkolny"), TermKind.SEMESTER: _l("semestr")}
AGE_LABELS = {
    AgeGroup.CHILDREN: _l("dzieci"),
    AgeGroup.YOUTH: _l("młodzież"),
    AgeGroup.ADULTS: _l("dorośli"),
    AgeGroup.SENIORS: _l("seniorzy"),
    AgeGroup.MIXED: _l("różne grupy wiekowe"),
}
PRIORITY_LABELS = {Priority.PRIMARY: _l("pierwszy wybór"), Priority.SECONDARY: _l("drugi wybór")}


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def window_label(weekday: int, starts: time, ends: time) -> str:
    return f"{WEEKDAYS[weekday]} {hhmm(starts)}–{hhmm(ends)}"


# --- setting up, opening, closing, reopening --------------------------------------------------


def _advance(round_: AllocationRound, from_: tuple[RoundStatus, ...], to: RoundStatus) -> None:
    """Move the status on only if it is still one of ``from_``: a conditional UPDATE, so of two
    concurrent changes the second finds the status changed and is refused."""
    changed = db.session.execute(
        sa.update(AllocationRound)
        .where(AllocationRound.id == round_.id, AllocationRound.status.in_(from_))
        .values(status=to, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    forget_holds()
    db.session.refresh(round_)
    if not changed:
        raise DomainError(
            _(
                "Nabór ma teraz status „%(status)s”: tej zmiany nie można już zrobić.",
                status=STATUS_LABELS[round_.status],
            ),
            status=409,
        )


def open_round(round_: AllocationRound, actor) -> None:
    """Open a draft, or reopen a round in allocation (its allocations stay)."""
    _advance(round_, (RoundStatus.DRAFT, RoundStatus.ALLOCATING), RoundStatus.OPEN)
    audit.record("round.opened", actor=actor, provider=round_.provider_id, details=round_.name)


def close_applications(round_: AllocationRound, actor) -> None:
    _advance(round_, (RoundStatus.OPEN,), RoundStatus.ALLOCATING)
    audit.record("round.allocating", actor=actor, provider=round_.provider_id, details=round_.name)


# --- applying -----------------------------------------------------------------------------


@dataclass
class ActivityInput:
    name: str
    participants: int
    age_group: AgeGroup
    sessions_per_week: int
    min_minutes: int
    max_minutes: int
    wishes: list[int]  # space ids, first wish first
    time_ranges: list[tuple[int, time, time, Priority]]


def application_of(round_: AllocationRound, organisation_id: int) -> RoundApplication | None:
    return db.session.scalar(
        sa.select(RoundApplication).where(
            RoundApplication.round_id == round_.id,
            RoundApplication.organisation_id == organisation_id,
        )
    )


def add_activity(
    round_: AllocationRound, organisation, user, activity: ActivityInput, *, contact: str = ""
) -> RoundActivity:
    """Add an activity to the organisation's application (made on its first activity)."""
    if round_.status == RoundStatus.OPEN and round_.deadline_passed:
        raise DomainError(
            _(
                "Termin składania wniosków minął %(day)s.",
                day=format_date(round_.applications_close_on, "short"),
            ),
            status=409,
        )
    if not round_.accepts_applications:
        raise DomainError(_("Ten nabór nie przyjmuje teraz wniosków."), status=409)
    if activity.min_minutes > activity.max_minutes:
        raise DomainError(
            _("Najkrótszy czas zajęć nie może być dłuższy niż najdłuższy."),
            status=422,
            field="max_minutes",
        )
    round_spaces = {s.id for s in round_.spaces}
    wishes = [i for i in dict.fromkeys(activity.wishes) if i]
    if not wishes or any(i not in round_spaces for i in wishes):
        raise DomainError(_("Wybierz salę z tego naboru."), status=422, field="wish_1")
    if not any(p == Priority.PRIMARY for *_x, p in activity.time_ranges):
        raise DomainError(
            _("Podaj co najmniej jeden termin pierwszego wyboru."), status=422, field="primary_1"
        )
    for _weekday, starts, ends, _p in activity.time_ranges:
        if starts >= ends:
            raise DomainError(
                _("Godzina końca musi być późniejsza niż godzina początku."), status=422
            )
    application = application_of(round_, organisation.id)
    if application is None:
        application = RoundApplication(
            round=round_, organisation_id=organisation.id, submitted_by=user, contact=contact
        )
        db.session.add(application)
    elif contact:
        application.contact = contact
    item = RoundActivity(
        application=application,
        name=activity.name.strip(),
        participants=activity.participants,
        age_group=activity.age_group,
        sessions_per_week=activity.sessions_per_week,
        min_minutes=activity.min_minutes,
        max_minutes=activity.max_minutes,
        wishes=[RoomWish(space_id=i, rank=n) for n, i in enumerate(wishes, 1)],
        time_ranges=[
            TimeRange(weekday=w, starts=s, ends=e, priority=p)
            for w, s, e, p in activity.time_ranges
        ],
    )
    db.session.add(item)
    db.session.flush()
    return item


def withdraw_activity(activity: RoundActivity) -> None:
    application = activity.application
    if not application.round.accepts_applications:
        raise DomainError(_("Ten nabór nie przyjmuje teraz zmian we wnioskach."), status=409)
    application.activities.remove(activity)
    db.session.flush()
    if not application.activities:
        db.session.delete(application)
        db.session.flush()


# --- the board ------------------------------------------------------------------------------


def allocate(
    activity: RoundActivity, space_id: int, weekday: int, start: time, end: time, actor
) -> Allocation:
    """Give an activity a weekly slot. Clashes are shown on the board, not refused here: staff
    resolve them (generation refuses while two allocations clash)."""
    round_ = activity.application.round
    if round_.status != RoundStatus.ALLOCATING:
        raise DomainError(
            _("Terminy przydziela się po zamknięciu przyjmowania wniosków."), status=409
        )
    if space_id not in {s.id for s in round_.spaces}:
        raise DomainError(_("Wybierz salę z tego naboru."), status=422, field="space")
    if start >= end:
        raise DomainError(
            _("Godzina końca musi być późniejsza niż godzina początku."), status=422, field="end"
        )
    allocation = Allocation(
        activity=activity,
        space_id=space_id,
        weekday=weekday,
        start_time=start,
        end_time=end,
        allocated_by_id=actor.id if actor else None,
    )
    db.session.add(allocation)
    db.session.flush()
    return allocation


def remove_allocation(allocation: Allocation) -> None:
    if allocation.activity.application.round.status != RoundStatus.ALLOCATING:
        raise DomainError(_("Przydziału nie można już zmienić."), status=409)
    allocation.activity.allocations.remove(allocation)
    db.session.flush()


def allocations_of(round_: AllocationRound) -> list[Allocation]:
    return [
        allocation
        for application in round_.applications
        for activity in application.activities
        for allocation in activity.allocations
    ]


@dataclass
class SkippedDate:
    day: date
    reasons: list[str]


@dataclass
class AllocationCheck:
    """What the board shows for one allocation."""

    allocation: Allocation
    clashes: list[Allocation] = field(default_factory=list)  # other allocations, same slot
    skipped: list[SkippedDate] = field(default_factory=list)  # existing bookings, closures...
    dates: int = 0  # dates that would be booked
    problems: list[str] = field(default_factory=list)  # capacity, outside the windows
    notes: list[str] = field(default_factory=list)  # not a wish of the applicant
    # The organisation's ban after no-shows at this provider: generation will pass it over.
    ban: str = ""

    @property
    def blocks_generation(self) -> bool:
        return bool(self.clashes or self.problems)


def booking_request_for(allocation: Allocation) -> BookingRequest:
    round_ = allocation.activity.application.round
    first = round_.season_starts_on
    first += timedelta(days=(allocation.weekday - first.weekday()) % 7)
    return BookingRequest(
        purpose=f"{allocation.activity.name} ({round_.name})",
        people=allocation.activity.participants,
        first_day=first,
        start_time=allocation.start_time,
        end_time=allocation.end_time,
        recurrence=Recurrence.WEEKLY,
        until=round_.season_ends_on,
        # The round defines its own horizon: its season, however far the space's horizon is.
        horizon_until=round_.season_ends_on,
    )


def banned_applicants(round_: AllocationRound, *, now=None) -> dict[int, str]:
    """Applications whose organisation the provider banned after no-shows (the ban's end and
    reason, as the refusal of a request says it), by application id. The board flags them;
    generation passes their allocations over with this reason, mailed with the results: a ban
    refuses every new booking of the organisation at this provider, a round's too, and the
    provider may give the slot to another applicant before generating."""
    from app.spaces.service.operations import active_ban

    found = {}
    for application in round_.applications:
        ban = active_ban(round_.provider_id, application.organisation_id, now=now)
        if ban is not None:
            found[application.id] = _(
                "Organizacja ma blokadę rezerwacji do %(day)s (%(reason)s): jej przydziały "
                "zostaną pominięte przy tworzeniu rezerwacji.",
                day=local_datetime(ban.ends_at, "short"),
                reason=ban.reason,
            )
    return found


def _overlap(a: Allocation, b: Allocation) -> bool:
    return (
        a.space_id == b.space_id
        and a.weekday == b.weekday
        and a.start_time < b.end_time
        and b.start_time < a.end_time
    )


def check_allocations(round_: AllocationRound) -> dict[int, AllocationCheck]:
    """Every allocation with its clashes (with other allocations, with existing bookings,
    closures and the space's rules, date by date, as a request would see them) and capacity."""
    allocations = allocations_of(round_)
    bans = banned_applicants(round_)
    checks: dict[int, AllocationCheck] = {}
    for allocation in allocations:
        check = AllocationCheck(allocation, ban=bans.get(allocation.activity.application.id, ""))
        check.clashes = [
            o for o in allocations if o.id != allocation.id and _overlap(allocation, o)
        ]
        activity = allocation.activity
        space = allocation.space
        request = booking_request_for(allocation)
        check.problems += request_problems(space, request)
        if not any(
            w.weekday == allocation.weekday
            and w.starts <= allocation.start_time
            and allocation.end_time <= w.ends
            for w in round_.windows
        ):
            check.problems.append(_("Poza oknami czasowymi naboru."))
        minutes = (
            allocation.end_time.hour * 60
            + allocation.end_time.minute
            - allocation.start_time.hour * 60
            - allocation.start_time.minute
        )
        if not activity.min_minutes <= minutes <= activity.max_minutes:
            check.notes.append(
                _(
                    "Długość %(minutes)s min poza wnioskiem (%(min)s–%(max)s min).",
                    minutes=minutes,
                    min=activity.min_minutes,
                    max=activity.max_minutes,
                )
            )
        if space.id not in {w.space_id for w in activity.wishes}:
            check.notes.append(_("Sala spoza życzeń organizacji."))
        if not any(
            r.weekday == allocation.weekday
            and r.starts <= allocation.start_time
            and allocation.end_time <= r.ends
            for r in activity.time_ranges
        ):
            check.notes.append(_("Termin spoza przedziałów podanych we wniosku."))
        if allocation.series_id is None:
            # Generation books after the round's hold ends; the preview ignores it likewise.
            with ignoring_hold(round_):
                planned = plan_request(space, request)
            check.dates = sum(1 for p in planned if p.ok)
            check.skipped = [
                SkippedDate(to_local(p.starts_at).date(), p.problems or [_("Termin zajęty.")])
                for p in planned
                if not p.ok
            ]
        checks[allocation.id] = check
    return checks


@dataclass
class ActivitySummary:
    activity: RoundActivity
    allocated: int  # sessions per week given

    @property
    def missing(self) -> int:
        return max(self.activity.sessions_per_week - self.allocated, 0)


def board(round_: AllocationRound) -> tuple[list[ActivitySummary], dict[int, AllocationCheck]]:
    summaries = [
        ActivitySummary(activity, len(activity.allocations))
        for application in round_.applications
        for activity in application.activities
    ]
    return summaries, check_allocations(round_)


# --- generating the bookings and sending the results ---------------------------------------


def generate_and_send(round_: AllocationRound, actor) -> list[Allocation]:
    """Create each allocation's weekly series with the usual booking creation
    (``create_request``: rules, closures, imported busy times, the exclusion constraint), its
    free dates approved at once and the others kept as skipped with their reasons; then mail
    every applicant its results (delivered after commit). Refused while allocations clash or
    break the capacity or windows: staff resolve those on the board first."""
    from app.spaces.service.bookings import create_request

    if round_.status != RoundStatus.ALLOCATING:
        raise DomainError(_("Wyniki można wysłać tylko w czasie przydziału terminów."), status=409)
    checks = check_allocations(round_)
    blocking = [c for c in checks.values() if c.blocks_generation]
    if blocking:
        first = blocking[0].allocation
        raise DomainError(
            _(
                "Najpierw rozwiąż kolizje na tablicy (%(count)s), np. %(activity)s: %(slot)s.",
                count=len(blocking),
                activity=first.activity.name,
                slot=window_label(first.weekday, first.start_time, first.end_time),
            ),
            status=409,
        )
    # Leaving the holding statuses first lifts this round's hold for its own bookings.
    _advance(round_, (RoundStatus.ALLOCATING,), RoundStatus.RESULTS_SENT)
    round_.results_sent_at = utcnow()
    reason = _("Przydzielono w naborze „%(round)s”.", round=round_.name)
    bans = banned_applicants(round_)
    generated = []
    for allocation in allocations_of(round_):
        organisation = allocation.activity.application.organisation
        if allocation.activity.application.id in bans:
            allocation.skipped_note = bans[allocation.activity.application.id]
            audit.record(
                "round.skipped_banned",
                actor=actor,
                organisation=organisation.id,
                provider=round_.provider_id,
                details=f"{round_.name}: {allocation.activity.name}",
            )
            continue
        space = db.session.get(Space, allocation.space_id)
        request = booking_request_for(allocation)
        try:
            series = create_request(space, organisation, actor, request, allocated=reason)
        except DomainError as error:
            allocation.skipped_note = error.message
            continue
        allocation.series = series
        allocation.skipped_note = "\n".join(
            f"{b.starts_at:%Y-%m-%d}: {b.status_reason}"
            for b in series.occurrences
            if b.status.value == "skipped"
        )
        generated.append(allocation)
    db.session.flush()
    _mail_results(round_)
    audit.record(
        "round.results_sent", actor=actor, provider=round_.provider_id, details=round_.name
    )
    return generated


def _mail_results(round_: AllocationRound) -> None:
    from app.spaces.rounds.mail import mail_applicants

    mail_applicants(
        round_,
        _l("Wyniki naboru: %(round)s", round=round_.name),
        "spaces/rounds/mail/results.txt",
        "round-results",
        window_label=window_label,
    )


def rounds_for_applicants() -> list[AllocationRound]:
    return list(
        db.session.scalars(
            sa.select(AllocationRound)
            .where(AllocationRound.status != RoundStatus.DRAFT)
            .order_by(AllocationRound.season_starts_on.desc(), AllocationRound.id)
        )
    )


def provider_rounds(provider: Provider) -> list[AllocationRound]:
    return list(
        db.session.scalars(
            sa.select(AllocationRound)
            .where(AllocationRound.provider_id == provider.id)
            .order_by(AllocationRound.season_starts_on.desc(), AllocationRound.id)
        )
    )
