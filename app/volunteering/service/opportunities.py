"""An organisation's offers and their shifts: writing an offer, publishing and closing it,
adding shifts, changing their places, moving and calling them off.

A change of a shift's places or times takes the shift's lock (``lock_shift``) like every
change of its sign-ups, so a sign-up never sees a half-changed shift.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.timeutil import to_local
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
)
from app.volunteering.service.notifications import mail_volunteer
from app.volunteering.service.signups import (
    enter_place,
    lock_shift,
    set_status,
    take_place,
)

MICRO_MAX_DURATION = timedelta(hours=2)


class ShiftTimesInvalid(DomainError):
    """New times a shift cannot have; ``errors`` maps form field names to messages."""

    status = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field=next(iter(errors), None))
        self.errors = errors


# --- offers ----------------------------------------------------------------------------------


def _text(value) -> str:
    return (value or "").strip()


def _apply_fields(opportunity: Opportunity, fields: dict) -> None:
    """The offer's fields from a form's data (``OpportunityForm.data``)."""
    opportunity.title = _text(fields["title"])
    opportunity.description = _text(fields["description"])
    opportunity.sphere = fields["sphere"]
    opportunity.kind = OpportunityKind(fields["kind"])
    opportunity.set_tags(fields.get("tags") or [])
    opportunity.district = fields.get("district") or None
    opportunity.address = _text(fields.get("address"))
    opportunity.is_online = bool(fields.get("is_online"))
    opportunity.min_age = fields.get("min_age")
    opportunity.skills = _text(fields.get("skills"))
    opportunity.languages = _text(fields.get("languages"))
    opportunity.requires_approval = bool(fields.get("requires_approval"))
    opportunity.contact_name = _text(fields.get("contact_name"))
    opportunity.contact_email = _text(fields.get("contact_email"))
    opportunity.contact_phone = _text(fields.get("contact_phone"))
    opportunity.valid_until = fields.get("valid_until")
    opportunity.works_with_children = bool(fields.get("works_with_children"))
    opportunity.nnw_insurer = _text(fields.get("nnw_insurer"))
    opportunity.nnw_policy = _text(fields.get("nnw_policy"))
    opportunity.nnw_statement = _text(fields.get("nnw_statement"))


def create_opportunity(organisation: Organisation, fields: dict) -> Opportunity:
    """A new offer, a draft until it is published."""
    opportunity = Opportunity(organisation=organisation, status=OpportunityStatus.DRAFT)
    _apply_fields(opportunity, fields)
    db.session.add(opportunity)
    db.session.flush()
    return opportunity


def update_opportunity(opportunity: Opportunity, fields: dict) -> None:
    _apply_fields(opportunity, fields)
    for shift in opportunity.shifts:
        shift.sequence += 1  # title, place or description shown in calendars may change
    db.session.flush()


def publish(opportunity: Opportunity) -> None:
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.published_at = opportunity.published_at or utcnow()
    db.session.flush()


def close(opportunity: Opportunity) -> None:
    """No new sign-ups; those already made stay."""
    opportunity.status = OpportunityStatus.CLOSED
    db.session.flush()


# --- shifts ----------------------------------------------------------------------------------


def shift_time_errors(
    opportunity: Opportunity, starts_at: datetime, ends_at: datetime, now: datetime | None = None
) -> dict[str, str]:
    """What is wrong with a shift of ``opportunity`` from ``starts_at`` to ``ends_at`` (UTC), as
    messages per form field ("day", "end"); empty when nothing is.

    The end is compared in UTC, not only on the wall clock: a shift that starts in the spring
    hour that does not exist is moved an hour on and could otherwise end before it starts.
    """
    now = now or utcnow()
    errors = {}
    if starts_at <= now:
        errors["day"] = _("Termin musi być w przyszłości.")
    if ends_at <= starts_at:
        errors["end"] = _("Koniec musi być po początku.")
    elif opportunity.kind == OpportunityKind.MICRO and ends_at - starts_at > MICRO_MAX_DURATION:
        errors["end"] = _("Mikrowolontariat trwa najwyżej 2 godziny.")
    return errors


def add_shift(
    opportunity: Opportunity,
    starts_at: datetime,
    ends_at: datetime,
    *,
    capacity: int,
    note: str = "",
    now: datetime | None = None,
) -> Shift:
    """A new shift of ``opportunity``; raises ``ShiftTimesInvalid`` for times it cannot have."""
    errors = shift_time_errors(opportunity, starts_at, ends_at, now)
    if errors:
        raise ShiftTimesInvalid(errors)
    shift = Shift(
        opportunity=opportunity,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        note=note.strip(),
    )
    db.session.add(shift)
    db.session.flush()
    return shift


def change_capacity(shift_id: int, capacity: int, *, actor: User, now=None) -> Shift:
    """Set a shift's capacity; more places promote the waitlist at once. Fewer places than are
    already held is refused (the CHECK constraint would refuse it too)."""
    now = now or utcnow()
    shift = lock_shift(shift_id)
    if capacity < shift.taken:
        raise DomainError(
            ngettext(
                "Na ten termin zapisała się już %(num)d osoba; nie można zmniejszyć liczby miejsc poniżej tej liczby.",
                "Na ten termin zapisało się już %(num)d osób; nie można zmniejszyć liczby miejsc poniżej tej liczby.",
                shift.taken,
            ),
            status=422,
            field="capacity",
        )
    if capacity == shift.capacity:
        return shift
    shift.capacity = capacity
    shift.sequence += 1
    db.session.flush()
    waiting = db.session.scalars(
        sa.select(Signup)
        .where(Signup.shift_id == shift.id, Signup.status == SignupStatus.WAITLISTED)
        .order_by(Signup.waitlist_position)
    ).all()
    for signup in waiting:
        if not take_place(shift):
            break
        enter_place(signup, shift.opportunity, now, actor, "promoted: more places")
        db.session.flush()
        mail_volunteer(signup, "promoted")
    return shift


def cancel_shift(shift_id: int, *, actor: User, reason: str = "", now=None) -> Shift:
    """The organisation calls a shift off: every active sign-up is cancelled and told why.
    A shift with people on it needs a reason (they get it in the e-mail)."""
    now = now or utcnow()
    shift = lock_shift(shift_id)
    if shift.cancelled_at is not None:
        return shift
    reason = reason.strip()[:500]
    active = [signup for signup in shift.signups if signup.is_active]
    if active and not reason:
        raise DomainError(
            _("Napisz, dlaczego termin jest odwołany – dostaną to zapisane osoby."),
            status=422,
            field="reason",
        )
    shift.cancelled_at = now
    shift.sequence += 1
    for signup in active:
        signup.waitlist_position = None
        set_status(signup, SignupStatus.CANCELLED, actor=actor, reason=f"shift cancelled: {reason}")
        mail_volunteer(signup, "shift_cancelled", cancellation_reason=reason)
    db.session.flush()
    db.session.execute(
        sa.update(Shift)
        .where(Shift.id == shift.id)
        .values(taken=0)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(shift)
    return shift


def can_move(shift: Shift, now: datetime | None = None) -> bool:
    """Only a shift that has not started and is not cancelled can get new times."""
    return shift.cancelled_at is None and shift.starts_at > (now or utcnow())


def cannot_move_message() -> str:
    return _("Ten termin już się zaczął albo został odwołany; nie można go przenieść.")


def move_shift(
    shift_id: int, starts_at: datetime, ends_at: datetime, *, actor: User, now=None
) -> bool:
    """Give a shift new times (UTC); returns False when they are the times it already has.

    Calendars see a higher SEQUENCE, every sign-up holding or waiting for a place gets an entry
    in its history and an e-mail with the old and the new time, and its "reminded" and
    "I'm coming" marks are cleared: they were for the old time, so the day-before reminder
    (``send_reminders``) comes again for the new one. Raises ``ShiftTimesInvalid`` for times the
    shift cannot have and ``DomainError`` for a shift that has started or was cancelled.
    """
    now = now or utcnow()
    shift = lock_shift(shift_id)
    if not can_move(shift, now):
        raise DomainError(cannot_move_message())
    errors = shift_time_errors(shift.opportunity, starts_at, ends_at, now)
    if errors:
        raise ShiftTimesInvalid(errors)
    if (shift.starts_at, shift.ends_at) == (starts_at, ends_at):
        return False
    old_starts_at, old_ends_at = shift.starts_at, shift.ends_at
    # The model derives the Warsaw weekday and part of the day from starts_at.
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.sequence += 1
    reason = f"shift moved from {_local_span(old_starts_at, old_ends_at)} to {_local_span(starts_at, ends_at)}"
    for signup in shift.signups:
        if not signup.is_active:
            continue
        signup.reminded_at = None
        signup.coming_confirmed_at = None
        signup.events.append(
            SignupEvent(
                from_status=signup.status,
                to_status=signup.status,
                actor_id=actor.id,
                reason=reason,
                at=now,
            )
        )
        mail_volunteer(
            signup,
            "shift_moved",
            template="volunteering/mail/shift_moved.txt",
            topic_suffix=f":{shift.sequence}",
            old_starts_at=old_starts_at,
            old_ends_at=old_ends_at,
        )
    db.session.flush()
    return True


def _local_span(starts_at: datetime, ends_at: datetime) -> str:
    return f"{to_local(starts_at):%Y-%m-%d %H:%M}–{to_local(ends_at):%H:%M}"
