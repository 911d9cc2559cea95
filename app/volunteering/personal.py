"""A volunteer's own data: history, calendar, profile, RODO export and deletion (certificate
entries and the weekly digest are in ``service.reports`` and ``service.reminders``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.calendars.http import FeedVersion
from app.calendars.ical import CalendarEvent
from app.calendars.service import revoke_feed_tokens, volunteer_scope
from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.volunteering import service
from app.volunteering.calendar import signup_event
from app.volunteering.models import (
    Opportunity,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
    VolunteerProfile,
)


def _signups(user: User, *conditions, joined: bool = False, soonest_first: bool = False):
    # What each row shows, for all rows at once (it was three queries per sign-up), and
    # the status changes its calendar link counts (``signup_event``'s sequence). ``joined``:
    # the shift, offer and organisation in the same statement (the dashboard's pages).
    load = joinedload if joined else selectinload
    return (
        sa.select(Signup)
        .join(Shift)
        .where(Signup.user_id == user.id, *conditions)
        .order_by(
            *(
                (Shift.starts_at, Signup.id)
                if soonest_first
                else (Shift.starts_at.desc(), Signup.id.desc())
            )
        )
        .options(
            load(Signup.shift).options(
                load(Shift.opportunity).options(load(Opportunity.organisation))
            ),
            selectinload(Signup.events),
        )
    )


def history(user: User) -> list[Signup]:
    """Every sign-up of the user, newest first (the export and erasure; the dashboard pages)."""
    return list(db.session.scalars(_signups(user)))


PAST_PER_PAGE = 20


@dataclass
class Dashboard:
    """The volunteer's dashboard ("Moje zgłoszenia"): a page of upcoming sign-ups (soonest
    first; a volunteer rarely has more than one page of them), a page of past ones (newest
    first), and totals over all of them."""

    upcoming: list[Signup]
    past: list[Signup]
    page: int
    pages: int
    past_count: int
    upcoming_page: int
    upcoming_pages: int
    upcoming_count: int
    confirmed_hours: Decimal
    confirmed_organisations: list[Organisation]


def _pages(count: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-count // PAST_PER_PAGE))
    return min(max(page, 1), pages), pages


def dashboard(
    user: User, page: int = 1, upcoming_page: int = 1, *, now: datetime | None = None
) -> Dashboard:
    now = now or utcnow()
    confirmed = Signup.hours_confirmed_at.is_not(None)
    upcoming_count, past_count, hours = db.session.execute(
        sa.select(
            sa.func.count(Signup.id).filter(Shift.ends_at > now),
            sa.func.count(Signup.id).filter(Shift.ends_at <= now),
            sa.func.sum(Signup.hours).filter(confirmed),
        )
        .join(Shift)
        .where(Signup.user_id == user.id)
    ).one()
    upcoming_count, past_count = upcoming_count or 0, past_count or 0
    upcoming_page, upcoming_pages = _pages(upcoming_count, upcoming_page)
    page, pages = _pages(past_count, page)
    upcoming = list(
        db.session.scalars(
            _signups(user, Shift.ends_at > now, joined=True, soonest_first=True)
            .limit(PAST_PER_PAGE)
            .offset((upcoming_page - 1) * PAST_PER_PAGE)
        )
    )
    past = list(
        db.session.scalars(
            _signups(user, Shift.ends_at <= now, joined=True)
            .limit(PAST_PER_PAGE)
            .offset((page - 1) * PAST_PER_PAGE)
        )
    )
    organisations = db.session.scalars(
        sa.select(Organisation)
        .join(Opportunity, Opportunity.organisation_id == Organisation.id)
        .join(Shift, Shift.opportunity_id == Opportunity.id)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(Signup.user_id == user.id, confirmed)
        .distinct()
    )
    return Dashboard(
        upcoming=upcoming,
        past=past,
        page=page,
        pages=pages,
        past_count=past_count,
        upcoming_page=upcoming_page,
        upcoming_pages=upcoming_pages,
        upcoming_count=upcoming_count,
        confirmed_hours=Decimal(hours or 0),
        confirmed_organisations=list(organisations),
    )


def signups_by_shift(user, opportunity) -> dict[int, Signup]:
    """The user's sign-ups for ``opportunity``'s shifts (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return {}
    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .where(Shift.opportunity_id == opportunity.id, Signup.user_id == user.id)
    )
    return {signup.shift_id: signup for signup in signups}


def known_birth_year(user) -> int | None:
    """The birth year in the user's profile (None for a visitor or when not given)."""
    if not user.is_authenticated:
        return None
    profile = service.existing_profile(user)
    return profile.birth_year if profile is not None else None


def update_profile(profile: VolunteerProfile, form) -> None:
    service.change_birth_year(profile, form.birth_year.data)
    profile.interests = list(form.interests.data or [])
    profile.skills = (form.skills.data or "").strip()
    profile.languages = (form.languages.data or "").strip()
    profile.availability = list(form.availability.data or [])
    profile.district = form.district.data or None
    profile.accessibility_needs = (form.accessibility_needs.data or "").strip()
    profile.digest_opt_in = bool(form.digest_opt_in.data)


FEED_HISTORY = timedelta(days=90)


def _in_calendar(user_id: int) -> list:
    return [
        Signup.user_id == user_id,
        Shift.ends_at > utcnow() - FEED_HISTORY,
        Signup.status != SignupStatus.WAITLISTED,
    ]


def calendar_version(token_id: int, user_id: int) -> FeedVersion:
    """Count and newest change of what the volunteer's feed is made of (for its ETag)."""
    count, *stamps = db.session.execute(
        sa.select(
            sa.func.count(Signup.id),
            sa.func.max(Signup.updated_at),
            sa.func.max(Shift.updated_at),
            sa.func.max(Opportunity.updated_at),
            sa.func.max(Organisation.updated_at),
        )
        .select_from(Signup)
        .join(Shift, Signup.shift_id == Shift.id)
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .join(Organisation, Opportunity.organisation_id == Organisation.id)
        .where(*_in_calendar(user_id))
    ).one()
    return FeedVersion(f"token:{token_id}", count, max(filter(None, stamps), default=None))


def calendar_events(user_id: int) -> list[CalendarEvent]:
    """The volunteer's shifts for their private iCal feed; cancelled ones stay as CANCELLED so
    calendar clients remove them."""
    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .where(*_in_calendar(user_id))
        .order_by(Shift.starts_at, Signup.id)
        .options(
            selectinload(Signup.events),
            selectinload(Signup.shift)
            .selectinload(Shift.opportunity)
            .selectinload(Opportunity.organisation),
        )
    ).all()
    events = (signup_event(signup) for signup in signups)
    return [event for event in events if event is not None]


def export(user: User) -> dict:
    """Everything the volunteering board keeps about ``user`` (RODO art. 15 and 20)."""
    return {"user": {"name": user.name, "email": user.email}, **export_volunteering(user)}


def export_volunteering(user: User) -> dict:
    """The volunteering part of the account's data download (without the account itself)."""
    profile = service.existing_profile(user)
    data: dict = {"profile": None}
    if profile is not None:
        data["profile"] = {
            "birth_year": profile.birth_year,
            "interests": profile.interests,
            "skills": profile.skills,
            "languages": profile.languages,
            "availability": profile.availability,
            "district": profile.district,
            "accessibility_needs": profile.accessibility_needs,
            "digest_opt_in": profile.digest_opt_in,
        }
    data["signups"] = [
        {
            "opportunity": s.shift.opportunity.title,
            "organisation": s.shift.opportunity.organisation.name,
            "shift_start": s.shift.starts_at.isoformat(),
            "shift_end": s.shift.ends_at.isoformat(),
            "status": s.status.value,
            "message": s.message,
            "guardian_name": s.guardian_name,
            "guardian_contact": s.guardian_contact,
            "response_message": s.response_message,
            "attended": s.attended,
            "hours": str(s.hours) if s.hours is not None else None,
            "history": [
                {
                    "at": e.at.isoformat(),
                    "from": e.from_status.value if e.from_status else None,
                    "to": e.to_status.value,
                    "reason": e.reason,
                }
                for e in s.events
            ],
        }
        for s in history(user)
    ]
    decisions = db.session.scalars(
        sa.select(SignupEvent)
        .join(Signup)
        .where(
            SignupEvent.actor_id == user.id,
            sa.or_(Signup.user_id.is_(None), Signup.user_id != user.id),
        )
        .order_by(SignupEvent.id)
    )
    data["decisions"] = [
        {
            "at": e.at.isoformat(),
            "opportunity": e.signup.shift.opportunity.title,
            "shift_start": e.signup.shift.starts_at.isoformat(),
            "from": e.from_status.value if e.from_status else None,
            "to": e.to_status.value,
            "reason": e.reason,
        }
        for e in decisions
    ]
    return data


def delete_volunteering_data(user: User, now: datetime | None = None) -> None:
    """RODO art. 17: cancel upcoming sign-ups (their places go to the waitlist), strip personal
    data from past ones (the organisations' hour totals stay, anonymous), delete the profile and
    revoke the calendar feed. Agreements, guardian consents, register checks, opinions and
    recognition first (``agreements.privacy.erase_agreements``: concluded agreements are kept,
    unlinked, for the retention period), while the sign-ups still show whose they are."""
    from app.volunteering.agreements.privacy import erase_agreements

    now = now or utcnow()
    erase_agreements(user, now)
    from app.volunteering.stories import erase_stories

    erase_stories(user)
    for signup in history(user):
        if signup.can_withdraw(now):
            service.cancel(signup.id, actor=user, reason="volunteer deleted their data", now=now)
    db.session.execute(  # the history of others' sign-ups says "osoba usunięta"
        sa.update(SignupEvent)
        .where(SignupEvent.actor_id == user.id)
        .values(actor_deleted=True)
        .execution_options(synchronize_session=False)
    )
    signup_ids = sa.select(Signup.id).where(Signup.user_id == user.id).scalar_subquery()
    db.session.execute(
        sa.update(SignupEvent)
        .where(SignupEvent.signup_id.in_(signup_ids))
        .values(reason="", actor_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Signup)
        .where(Signup.user_id == user.id)
        .values(
            user_id=None,
            guest_name=None,
            guest_email=None,
            guest_phone=None,
            message="",
            guardian_name=None,
            guardian_contact=None,
            response_message="",
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    revoke_feed_tokens(user.id, volunteer_scope(user.id))
    db.session.flush()


def purge_old_signups(now: datetime) -> int:
    """Retention (PERSONAL_DATA_RETENTION_DAYS after the shift): a guest's sign-up loses the
    guest's name, e-mail and phone; every sign-up loses its free text and the guardian's data.
    The sign-up itself (shift, status, hours) stays: the volunteer's history and the
    organisation's anonymous hour totals. Returns how many sign-ups changed."""
    cutoff = now - timedelta(days=current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    past = Signup.shift_id.in_(sa.select(Shift.id).where(Shift.ends_at < cutoff))
    guests = db.session.execute(
        sa.update(Signup)
        .where(past, Signup.user_id.is_(None), Signup.anonymised_at.is_(None))
        .values(
            guest_name=None,
            guest_email=None,
            guest_phone=None,
            message="",
            guardian_name=None,
            guardian_contact=None,
            response_message="",
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    applicants = db.session.execute(
        sa.update(Signup)
        .where(
            past,
            sa.or_(
                Signup.message != "",
                Signup.response_message != "",
                Signup.guardian_name.is_not(None),
                Signup.guardian_contact.is_not(None),
            ),
        )
        .values(message="", response_message="", guardian_name=None, guardian_contact=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(SignupEvent)
        .where(
            SignupEvent.signup_id.in_(sa.select(Signup.id).where(past)), SignupEvent.reason != ""
        )
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    return guests + applicants
