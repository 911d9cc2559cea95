"""Demo history for the staff console: the past months of bookings and volunteering that the
programme report charts, and a few things waiting in the queues. Idempotent (a marker series)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.organisations.models import Membership, MembershipRequest, Organisation, RequestKind
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Provider,
    ProviderKind,
    Space,
    SpaceKind,
)
from app.spaces.service.availability import slot_for
from app.timeutil import local_today
from app.volunteering.models import (
    Opportunity,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
)

MARKER = "Zajęcia stałe (historia demo)"
REASONS = ("Sala zajęta przez szkołę", "Za krótki termin na przygotowanie sali")


def _free(space: Space, starts_at: datetime, ends_at: datetime) -> bool:
    """No other booking holds the slot (the exclusion constraint would refuse it)."""
    taken = db.session.scalar(
        sa.select(Booking.id)
        .where(
            Booking.space_id == space.id,
            Booking.status.in_(SLOT_HOLDING_STATUSES),
            Booking.starts_at < ends_at + timedelta(minutes=space.buffer_minutes),
            Booking.blocked_until > starts_at,
        )
        .limit(1)
    )
    return taken is None


def _history(space: Space, organisation: Organisation, weeks: int, people: int, later: int) -> None:
    """A weekly series over the past ``weeks`` weeks, ``later`` hours after the room opens."""
    hours = space.opening_hours[0]
    start = (datetime.combine(date.today(), hours.opens) + timedelta(hours=later)).time()
    end = (datetime.combine(date.today(), start) + timedelta(hours=2)).time()
    if end > hours.closes or end <= start:
        return
    today = local_today()
    first = today - timedelta(weeks=weeks, days=today.weekday() - hours.weekday)
    series = BookingSeries(space=space, organisation=organisation, purpose=MARKER, people=people,
                           first_day=first, start_time=start, end_time=end)  # fmt: skip
    db.session.add(series)
    for week in range(weeks - 2):  # the last two weeks are the other demo's
        day = first + timedelta(weeks=week)
        status = {
            3: BookingStatus.NO_SHOW,
            5: BookingStatus.CANCELLED,
            7: BookingStatus.DECLINED,
        }.get(week, BookingStatus.APPROVED)
        starts_at, ends_at = slot_for(day, start, end)
        if status in SLOT_HOLDING_STATUSES and not _free(space, starts_at, ends_at):
            continue
        reason = REASONS[(week + later) % 2] if status == BookingStatus.DECLINED else ""
        booking = Booking.for_slot(space, starts_at, ends_at, status, series=series, reason=reason)
        booking.history.append(
            BookingStatusChange(to_status=BookingStatus.PENDING, at=starts_at - timedelta(days=14))
        )
        # The cancellation comes the evening before: a late one.
        at = starts_at - timedelta(hours=12 if status == BookingStatus.CANCELLED else 24 * 10)
        booking.history.append(
            BookingStatusChange(
                from_status=BookingStatus.PENDING, to_status=status, at=at, reason=reason
            )
        )
        db.session.add(booking)
        db.session.flush()


def _volunteering(users: dict) -> None:
    people = [users[k] for k in ("volunteer", "volunteer2", "volunteer3", "ngo_editor")]
    opportunities = list(db.session.scalars(
        sa.select(Opportunity).where(Opportunity.status == OpportunityStatus.PUBLISHED).order_by(Opportunity.id).limit(5)
    ))  # fmt: skip
    today = local_today()
    for index, opportunity in enumerate(opportunities):
        for month in range(1, 7):
            day = today - timedelta(days=30 * month + index * 3)
            starts_at, ends_at = slot_for(day, time(10), time(13 if index % 2 else 12))
            shift = Shift(
                opportunity=opportunity,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=6,
                note=MARKER,
            )
            db.session.add(shift)
            coming = people[: 2 + (month + index) % 3]
            shift.taken = len(coming)  # accepted sign-ups hold their places
            for number, person in enumerate(coming):
                asked = starts_at - timedelta(days=5)
                signup = Signup(user=person, status=SignupStatus.ACCEPTED, pending_since=asked,
                                responded_at=asked + timedelta(hours=4 + 10 * number),
                                attended=True, hours=Decimal((ends_at - starts_at).seconds // 3600),
                                hours_confirmed_at=ends_at + timedelta(hours=3), created_at=asked)  # fmt: skip
                if person is users["volunteer3"]:
                    signup.guardian_name, signup.guardian_contact = "Anna Dąbrowska", "600 123 456"
                    signup.guardian_consent_at = asked
                db.session.add(signup)
                signup.shift = shift
                signup.events.append(
                    SignupEvent(to_status=SignupStatus.ACCEPTED, at=signup.responded_at)
                )


def _unanswered(room: Space, organisation: Organisation) -> None:
    """A request made five days ago that the provider has not answered (the staff queue)."""
    hours = room.opening_hours[0]
    today = local_today()
    day = today + timedelta(days=14 + (hours.weekday - today.weekday()) % 7)
    end = (datetime.combine(day, hours.opens) + timedelta(hours=1)).time()
    asked = datetime.now(UTC) - timedelta(days=5)
    series = BookingSeries(space=room, organisation=organisation, purpose="Spotkanie zarządu",
                           people=6, first_day=day, start_time=hours.opens, end_time=end,
                           created_at=asked)  # fmt: skip
    starts_at, ends_at = slot_for(day, hours.opens, end)
    booking = Booking.for_slot(room, starts_at, ends_at, BookingStatus.PENDING, series=series)
    booking.history.append(BookingStatusChange(to_status=BookingStatus.PENDING, at=asked))
    db.session.add_all([series, booking])


# Rough centres of the districts the demo spaces are in (WGS84), for their coordinates.
DISTRICT_CENTRES = {
    "stare-miasto": ("53.010300", "18.604800"),
    "bydgoskie-przedmiescie": ("53.017000", "18.585000"),
    "chelminskie-przedmiescie": ("53.026000", "18.600000"),
    "jakubskie-przedmiescie": ("53.015000", "18.635000"),
    "mokre": ("53.030000", "18.630000"),
    "rubinkowo": ("53.028000", "18.665000"),
    "na-skarpie": ("53.020000", "18.680000"),
    "bielany": ("53.023000", "18.565000"),
    "podgorz": ("52.995000", "18.590000"),
}


def _coordinates() -> None:
    """Demo rooms get coordinates near their district's centre (equipment has none)."""
    rooms = sa.select(Space).where(Space.kind == SpaceKind.ROOM, Space.latitude.is_(None))
    for number, room in enumerate(db.session.scalars(rooms.order_by(Space.id))):
        centre = DISTRICT_CENTRES.get(room.district or "")
        if centre:
            nudge = Decimal(number % 5) / 1000  # rooms of one district do not overlap
            room.latitude = Decimal(centre[0]) + nudge
            room.longitude = Decimal(centre[1]) - nudge


def load(users: dict, organisations: dict) -> None:
    _coordinates()
    if db.session.scalar(
        sa.select(BookingSeries.id).where(BookingSeries.purpose == MARKER).limit(1)
    ):
        return
    rooms = [s for s in db.session.scalars(sa.select(Space).where(Space.kind == SpaceKind.ROOM).order_by(Space.id))
             if s.opening_hours][:5]  # fmt: skip
    orgs = list(db.session.scalars(sa.select(Organisation).order_by(Organisation.id).limit(8)))
    for index, room in enumerate(rooms):
        _history(room, orgs[index % len(orgs)], 12 + index * 2, 8 + 4 * index, 0)
        _history(room, orgs[(index + 3) % len(orgs)], 9, 12, 2)
    _volunteering(users)
    _unanswered(rooms[0], orgs[1])
    # A claim waiting for staff: an imported profile nobody manages yet.
    owned = sa.select(Membership.organisation_id)
    unowned = db.session.scalar(
        sa.select(Organisation).where(Organisation.id.not_in(owned)).order_by(Organisation.id)
    )
    unverified = db.session.scalars(
        sa.select(Organisation).where(Organisation.verified_at.is_(None)).order_by(Organisation.id.desc()).limit(2)
    ).all()  # fmt: skip
    for organisation in unverified:
        organisation.verification_requested_at = datetime.now(UTC) - timedelta(days=2)
        organisation.verification_message = "Prosimy o weryfikację – dane w KRS są aktualne."
    from app.moderation.models import ContentReport, ReportReason

    db.session.add(
        ContentReport(
            path=f"/organizacje/{orgs[2].slug}",
            reason=ReportReason.WRONG,
            message="Numer telefonu na profilu jest nieaktualny, nikt nie odbiera.",
            reporter_id=users["volunteer"].id,
        )
    )
    if unowned is not None:
        db.session.add(MembershipRequest(organisation=unowned, user=users["volunteer2"], kind=RequestKind.CLAIM,
                                         message="Jestem prezesem tego stowarzyszenia."))  # fmt: skip
    _hidden_offer(users)
    # A provider staff created whose manager has not been added yet (the staff queue).
    if db.session.scalar(sa.select(Provider.id).where(Provider.slug == "mdk-torun")) is None:
        db.session.add(
            Provider(slug="mdk-torun", name="Młodzieżowy Dom Kultury", kind=ProviderKind.CITY_UNIT)
        )


def _hidden_offer(users: dict) -> None:
    """An offer staff hid on a report, whose organisation answered: the moderation queue and
    the banner have something to show. Not of the organisations the demo users run."""
    from app.moderation.models import (
        ContentKind,
        ContentReport,
        Hiding,
        HidingStatus,
        ReportReason,
        ReportStatus,
    )
    from app.volunteering.models import Opportunity

    theirs = sa.select(Membership.organisation_id).where(
        Membership.user_id.in_(
            [users["ngo_owner"].id, users["ngo_owner2"].id, users["ngo_editor"].id]
        )
    )
    offer = db.session.scalar(
        sa.select(Opportunity)
        .where(Opportunity.public(), Opportunity.organisation_id.not_in(theirs))
        .order_by(Opportunity.id.desc())
        .limit(1)
    )
    if offer is None:
        return
    now = datetime.now(UTC)
    report = ContentReport(
        path=f"/wolontariat/oferty/{offer.id}", reason=ReportReason.WRONG, status=ReportStatus.HANDLED,
        message="W opisie jest numer konta do wpłat, to nie wygląda na wolontariat.",
        reporter_id=users["volunteer"].id, handled_at=now - timedelta(days=3),
        response="Opis zbiera wpłaty; prosimy organizację o poprawienie.",
    )  # fmt: skip
    offer.hidden_at = now - timedelta(days=3)
    db.session.add(
        Hiding(
            kind=ContentKind.OPPORTUNITY,
            content_id=offer.id,
            title=offer.title,
            report=report,
            reason="Opis zbiera wpłaty; prosimy o poprawienie.",
            status=HidingStatus.ANSWERED,
            hidden_at=now - timedelta(days=3),
            answer="Usunęliśmy numer konta z opisu.",
            answered_at=now - timedelta(days=1),
        )
    )
