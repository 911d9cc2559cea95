"""A known data set for the programme report (March 2025) and the open data: every figure of
tests/staff/test_report.py is worked out by hand from it (see the comments)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from app.extensions import db
from app.organisations.models import LegalForm, OrganisationArea, OrganisationDistrict
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Closure,
    ClosureReason,
    OpeningHours,
    Space,
    SpaceKind,
    TermsKind,
)
from app.staff.service.report import Period
from app.timeutil import local_to_utc
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
)

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))


def at(day: int, hour: int, month: int = 3, minute: int = 0) -> datetime:
    """A Warsaw wall-clock moment of 2025 as UTC."""
    return local_to_utc(date(2025, month, day), time(hour, minute))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def known_data(make_organisation, make_provider, make_user):
    # Sector: A (2024, verified in March 2025), B (new in March), C (after the period).
    a = make_organisation("Fundacja Alfa", legal_form=LegalForm.FOUNDATION, created_at=utc(2024, 6, 1),
                          verified_at=utc(2025, 3, 1, 12))  # fmt: skip
    b = make_organisation("Stowarzyszenie Beta", legal_form=LegalForm.ASSOCIATION,
                          created_at=utc(2025, 3, 5))  # fmt: skip
    c = make_organisation("Fundacja Gamma", created_at=utc(2026, 2, 1))
    a.areas = [OrganisationArea(code="social_assistance"), OrganisationArea(code="culture")]
    b.areas = [OrganisationArea(code="social_assistance")]
    c.areas = [OrganisationArea(code="sport")]
    a.districts = [OrganisationDistrict(code="rubinkowo")]
    b.districts = [OrganisationDistrict(code="rubinkowo"), OrganisationDistrict(code="mokre")]

    # Spaces: room R (barter, 0.5 h owed per hour, open on Mondays 16-20, closed on 24 March:
    # 4 Mondays x 4 h = 16 open hours) and equipment E (free).
    provider = make_provider("Szkoła Podstawowa nr 99")
    room = Space(provider=provider, slug="sp99-sala", name="Sala 1", kind=SpaceKind.ROOM,
                 district="rubinkowo", terms=TermsKind.BARTER, barter_hours_per_hour=Decimal("0.5"),
                 capacity=30, address="ul. Szkolna 1", barter_terms="=HYPERLINK(\"x\")")  # fmt: skip
    room.opening_hours = [OpeningHours(weekday=0, opens=time(16), closes=time(20))]
    equipment = Space(provider=provider, slug="sp99-rzutnik", name="Rzutnik", stock=2,
                      kind=SpaceKind.EQUIPMENT, district="stare-miasto", terms=TermsKind.FREE)  # fmt: skip
    room.buffer_minutes = equipment.buffer_minutes = 0
    db.session.add_all([room, equipment])
    db.session.add(Closure(provider=provider, starts_on=date(2025, 3, 24), ends_on=date(2025, 3, 24),
                           reason=ClosureReason.OTHER))  # fmt: skip

    def series(space, organisation, people):
        s = BookingSeries(space=space, organisation=organisation, purpose="Zajęcia", people=people,
                          first_day=date(2025, 3, 3), start_time=time(16), end_time=time(18))  # fmt: skip
        db.session.add(s)
        return s

    sa_, sb, se = series(room, a, 10), series(room, b, 5), series(equipment, b, 5)

    def booking(s, start, end, status, reason=""):
        occurrence = Booking.for_slot(s.space, start, end, status, series=s, reason=reason)
        db.session.add(occurrence)
        return occurrence

    booking(sa_, at(3, 16), at(3, 18), BookingStatus.APPROVED)  # 2 h
    booking(sa_, at(10, 16), at(10, 19), BookingStatus.APPROVED)  # 3 h
    booking(sa_, at(17, 16), at(17, 18), BookingStatus.NO_SHOW)  # holds 2 h, not used
    late = booking(sa_, at(31, 16), at(31, 18), BookingStatus.CANCELLED)
    late.history.append(BookingStatusChange(to_status=BookingStatus.CANCELLED, at=at(31, 10)))
    early = booking(sa_, at(3, 19), at(3, 20), BookingStatus.CANCELLED)  # cancelled a week ahead
    early.history.append(BookingStatusChange(to_status=BookingStatus.CANCELLED, at=at(24, 10, 2)))
    booking(sb, at(10, 19), at(10, 20), BookingStatus.DECLINED, "Sala zajęta przez szkołę")
    booking(sb, at(3, 18), at(3, 19), BookingStatus.DECLINED, "Sala zajęta przez szkołę")
    booking(sb, at(17, 18), at(17, 20), BookingStatus.APPROVED)  # 2 h
    booking(sb, at(1, 16, 4), at(1, 18, 4), BookingStatus.APPROVED)  # April: outside
    booking(se, at(5, 10), at(5, 12), BookingStatus.APPROVED)  # 2 h of equipment
    db.session.add_all([
        BarterDelivery(provider_id=provider.id, organisation_id=a.id, delivered_on=date(2025, 3, 20),
                       hours=Decimal("1.5"), description="Warsztaty"),
        BarterDelivery(provider_id=provider.id, organisation_id=a.id, delivered_on=date(2025, 3, 21),
                       hours=Decimal("2"), description="Pomyłka", withdrawn_at=utc(2025, 3, 22)),
    ])  # fmt: skip

    # Volunteering: O1 (A, social assistance, Rubinkowo, published in March), O2 (B, culture,
    # online, published in February).
    o1 = Opportunity(organisation=a, title="Spacery z seniorami", sphere="social_assistance",
                     kind=OpportunityKind.REGULAR, status=OpportunityStatus.PUBLISHED,
                     district="rubinkowo", published_at=at(2, 9), contact_email="osoba@example.org")  # fmt: skip
    o2 = Opportunity(organisation=b, title="=cmd|' /C calc'!A0", sphere="culture", is_online=True,
                     kind=OpportunityKind.MICRO, status=OpportunityStatus.PUBLISHED,
                     published_at=at(10, 9, 2))  # fmt: skip
    s1 = Shift(opportunity=o1, starts_at=at(5, 10), ends_at=at(5, 13), capacity=5, taken=2)
    s2 = Shift(opportunity=o2, starts_at=at(12, 17), ends_at=at(12, 19), capacity=5, taken=1)
    s3 = Shift(opportunity=o1, starts_at=at(2, 10, 4), ends_at=at(2, 12, 4), capacity=5, taken=1)
    db.session.add_all([o1, o2, s1, s2, s3])
    u1, u2, u3 = make_user(name="Ula"), make_user(name="Igor"), make_user(name="Ewa")

    def signup(shift, status, created, *, user=None, guest=None, pending=None, answered=None,
               hours=None, minor=False):  # fmt: skip
        s = Signup(user=user, guest_name=guest, guest_email=guest and f"{guest}@example.org",
                   status=status, created_at=created, pending_since=pending, responded_at=answered,
                   guardian_name="Mama" if minor else None,
                   guardian_consent_at=created if minor else None)  # fmt: skip
        db.session.add(s)
        s.shift = shift
        if hours is not None:
            s.attended, s.hours, s.hours_confirmed_at = True, Decimal(hours), shift.ends_at
        if status == SignupStatus.ACCEPTED:
            s.events.append(SignupEvent(to_status=SignupStatus.ACCEPTED, at=answered or created))

    # Answered after 6 h, 24 h and 2 h; one still pending (since 20 March): median 6 h, 3 of 4.
    signup(
        s1,
        SignupStatus.ACCEPTED,
        at(1, 10),
        user=u1,
        pending=at(1, 10),
        answered=at(1, 16),
        hours="3",
    )
    signup(s1, SignupStatus.ACCEPTED, at(2, 10), user=u2, pending=at(2, 10), answered=at(3, 10),
           hours="2", minor=True)  # fmt: skip
    signup(s2, SignupStatus.ACCEPTED, at(10, 12), guest="gosc", hours="1.5")
    signup(s2, SignupStatus.DECLINED, at(11, 10), user=u1, pending=at(11, 10), answered=at(11, 12))
    signup(s3, SignupStatus.PENDING, at(20, 10), user=u3, pending=at(20, 10))
    db.session.commit()
    return {"a": a, "b": b, "c": c, "provider": provider, "room": room, "equipment": equipment}


from tests.spaces.conftest import make_space  # noqa: E402,F401  (the spaces factory)
