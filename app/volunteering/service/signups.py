"""Sign-ups: signing up, withdrawing, the waitlist and its promotion, answers, attendance.

Every change of a sign-up takes the lock on its shift row first (``lock_shift``: ``SELECT ...
FOR UPDATE`` on PostgreSQL; on SQLite the request or job already holds the single write lock),
and the counter of taken places moves only through guarded UPDATEs; the CHECK constraints on
``volunteering_shifts`` are the last line. Nothing here commits: the request or the job's
``transaction()`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.templating import number
from app.timeutil import to_local
from app.volunteering.agreements.service import (
    ensure_agreement,
    guest_agreement,
    require_in_force,
)
from app.volunteering.models import (
    ACTIVE_STATUSES,
    Opportunity,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
    VolunteerProfile,
)
from app.volunteering.service.notifications import mail_organisation, mail_volunteer

# Nobody younger signs up alone; 13–17 need a guardian's consent.
PLATFORM_MIN_AGE = 13
ADULT_AGE = 18
LATE_CANCELLATION = timedelta(hours=24)


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class Guardian:
    """The minor's parent or guardian: an e-mail address gets a consent link; a phone number
    or ``paper`` means the printed consent form."""

    name: str
    contact: str
    paper: bool = False


# --- ages ----------------------------------------------------------------------------------


def age_in_year(birth_year: int, day: date) -> int:
    """The age a person born in ``birth_year`` reaches during ``day``'s year.

    Only the birth year is known (data minimisation), so the minimum-age rule counts the year
    they turn that age, and a guardian's consent is asked whenever the person may still be a
    minor on the day (they turn 18 during that year or later).
    """
    return day.year - birth_year


def needs_guardian(birth_year: int, day: date) -> bool:
    return age_in_year(birth_year, day) <= ADULT_AGE


def too_young(opportunity: Opportunity, birth_year: int | None, day: date) -> str | None:
    """Why a person born in ``birth_year`` may not sign up for a shift on ``day`` (None: they
    may, or the year is not known yet). Offer pages ask it before showing a sign-up button."""
    if birth_year is None:
        return None
    minimum = max(opportunity.min_age or 0, PLATFORM_MIN_AGE)
    if age_in_year(birth_year, day) >= minimum:
        return None
    return ngettext(
        "Ta oferta jest dla osób, które mają co najmniej %(num)d rok. Zajrzyj do innych ofert.",
        "Ta oferta jest dla osób, które mają co najmniej %(num)d lat. Zajrzyj do innych ofert.",
        minimum,
    )


def too_young_for_shift(shift: Shift, birth_year: int | None) -> str | None:
    return too_young(shift.opportunity, birth_year, to_local(shift.starts_at).date())


def check_age(opportunity: Opportunity, birth_year: int | None, day: date) -> None:
    if birth_year is None:
        raise DomainError(_("Podaj rok urodzenia, aby się zapisać."), status=422)
    reason = too_young(opportunity, birth_year, day)
    if reason is not None:
        raise DomainError(reason, status=422)


# --- places and the waitlist ----------------------------------------------------------------


def lock_shift(shift_id: int) -> Shift:
    """The shift, locked for this transaction (every change of its places or sign-ups takes
    this lock first, so they happen one after another). A missing shift is refused."""
    shift = db.session.scalar(sa.select(Shift).where(Shift.id == shift_id).with_for_update())
    if shift is None:
        raise DomainError(_("Nie ma takiego terminu."), status=404)
    db.session.refresh(shift)
    return shift


def _locked_signup(signup_id: int) -> tuple[Signup, Shift]:
    """The sign-up and its shift, the shift locked, the sign-up read after the lock."""
    shift_id = db.session.scalar(sa.select(Signup.shift_id).where(Signup.id == signup_id))
    if shift_id is None:
        raise DomainError(_("To zgłoszenie nie jest już aktywne."), status=404)
    shift = lock_shift(shift_id)
    signup = db.session.get(Signup, signup_id)
    db.session.refresh(signup)
    return signup, shift


def take_place(shift: Shift) -> bool:
    """Take one place if one is free: one atomic guarded UPDATE (never over capacity)."""
    result = db.session.execute(
        sa.update(Shift)
        .where(Shift.id == shift.id, Shift.taken < Shift.capacity)
        .values(taken=Shift.taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(shift)
    return result.rowcount == 1


def _release_place(shift: Shift) -> None:
    db.session.execute(
        sa.update(Shift)
        .where(Shift.id == shift.id, Shift.taken > 0)
        .values(taken=Shift.taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(shift)


def _next_waitlist_position(shift: Shift) -> int:
    current = db.session.scalar(
        sa.select(sa.func.max(Signup.waitlist_position)).where(Signup.shift_id == shift.id)
    )
    return (current or 0) + 1


def set_status(
    signup: Signup, status: SignupStatus, *, actor: User | None, reason: str = ""
) -> None:
    previous = signup.status if signup.events else None
    signup.status = status
    signup.events.append(
        SignupEvent(
            from_status=previous,
            to_status=status,
            actor_id=actor.id if actor is not None else None,
            reason=reason[:300],
            at=utcnow(),
        )
    )


def _holding_status(opportunity: Opportunity) -> SignupStatus:
    return SignupStatus.PENDING if opportunity.requires_approval else SignupStatus.ACCEPTED


def enter_place(signup: Signup, opportunity: Opportunity, now: datetime, actor, reason: str):
    status = _holding_status(opportunity)
    if signup.guardian_name is not None and signup.guardian_consent_at is None:
        status = SignupStatus.PENDING  # a minor waits for the guardian's consent
    signup.waitlist_position = None
    if status == SignupStatus.PENDING:
        signup.pending_since = now
        signup.responded_at = None
    set_status(signup, status, actor=actor, reason=reason)
    if status == SignupStatus.ACCEPTED:
        ensure_agreement(signup)


def _promote_or_release(shift: Shift, now: datetime, actor: User | None) -> Signup | None:
    """A place on ``shift`` has just been given up: hand it to the first on the waitlist at
    once (the counter stays), or release it."""
    promoted = db.session.scalar(
        sa.select(Signup)
        .where(Signup.shift_id == shift.id, Signup.status == SignupStatus.WAITLISTED)
        .order_by(Signup.waitlist_position)
        .limit(1)
    )
    if promoted is None:
        _release_place(shift)
        return None
    enter_place(promoted, shift.opportunity, now, actor, "promoted from the waitlist")
    db.session.flush()
    mail_volunteer(promoted, "promoted")
    mail_organisation(promoted, "promoted")
    return promoted


def _find_existing(shift: Shift, user: User | None, guest: Guest | None) -> Signup | None:
    query = sa.select(Signup).where(Signup.shift_id == shift.id)
    if user is not None:
        query = query.where(Signup.user_id == user.id)
    else:
        query = query.where(Signup.guest_email == guest.email.strip().lower())
    return db.session.scalar(query)


def sign_up(
    shift_id: int,
    *,
    user: User | None = None,
    guest: Guest | None = None,
    birth_year: int | None = None,
    guardian: Guardian | None = None,
    message: str = "",
    now: datetime | None = None,
) -> Signup:
    """Sign a volunteer (an account holder or a guest) up for a shift, or put them on the
    waitlist when it is full. Raises ``DomainError`` with a message for the person."""
    if (user is None) == (guest is None):
        raise ValueError("either a user or a guest signs up")
    now = now or utcnow()
    shift = lock_shift(shift_id)
    opportunity = shift.opportunity
    if not opportunity.is_public:
        raise DomainError(_("Zapisy na tę ofertę są zamknięte."))
    if shift.cancelled_at is not None or shift.starts_at <= now:
        raise DomainError(_("Ten termin już minął albo został odwołany."))
    day = to_local(shift.starts_at).date()
    minor = False
    if user is not None:
        birth_year = _birth_year_for_signup(user, birth_year)
        check_age(opportunity, birth_year, day)
        minor = needs_guardian(birth_year, day)
        if minor and (
            guardian is None or not guardian.name.strip() or not guardian.contact.strip()
        ):
            raise DomainError(
                _(
                    "Osoba niepełnoletnia potrzebuje zgody rodzica lub opiekuna: podaj jego imię i nazwisko oraz e-mail (wyślemy mu prośbę o zgodę) albo telefon i wybierz formularz papierowy."
                ),
                status=422,
            )
    signup = _find_existing(shift, user, guest)
    if signup is not None:
        if signup.is_active:
            raise DomainError(_("Jesteś już zapisana/zapisany na ten termin."))
        if signup.status == SignupStatus.DECLINED:
            raise DomainError(_("Organizacja odpowiedziała już na Twoje zgłoszenie."))
        signup.response_message = ""  # an answer to the withdrawn application
    else:
        signup = Signup(shift=shift, user=user, status=SignupStatus.CANCELLED)
        if guest is not None:
            signup.guest_name = guest.name.strip()
            signup.guest_email = guest.email.strip().lower()
            signup.guest_phone = guest.phone.strip() or None
        db.session.add(signup)
    signup.message = message.strip()[:1000]
    signup.guardian_name = guardian.name.strip()[:120] if minor else None
    signup.guardian_contact = guardian.contact.strip()[:254] if minor else None
    signup.guardian_consent_at = None  # until the guardian answers
    if take_place(shift):
        enter_place(signup, opportunity, now, user, "signed up")
    else:
        signup.waitlist_position = _next_waitlist_position(shift)
        set_status(signup, SignupStatus.WAITLISTED, actor=user, reason="shift full")
    db.session.flush()
    if guest is not None:  # the guest accepted the agreement with the sign-up form
        guest_agreement(signup, now)
    if minor:
        _ask_guardian(signup, guardian, age_in_year(birth_year, day))
    mail_volunteer(signup, "signed_up")
    mail_organisation(signup, "signed_up")
    return signup


def _ask_guardian(signup: Signup, guardian: Guardian, age: int) -> None:
    """The agreement the guardian will see (under 13 the guardian concludes it) and the
    request for consent: a link by e-mail, or the paper form."""
    from app.volunteering.agreements.guardians import (
        GUARDIAN_PARTY_UP_TO_AGE,
        is_email,
        request_consent,
    )

    agreement = ensure_agreement(signup, guardian_is_party=age <= GUARDIAN_PARTY_UP_TO_AGE)
    if agreement is not None and age <= GUARDIAN_PARTY_UP_TO_AGE:
        agreement.guardian_is_party = True
        agreement.guardian_name = signup.guardian_name
    contact = guardian.contact.strip()
    email = contact.lower() if is_email(contact) and not guardian.paper else None
    request_consent(signup, email=email)


def _birth_year_for_signup(user: User, given: int | None) -> int | None:
    """The profile's birth year; the one given with a sign-up only when the profile has none
    (it is then remembered). A sign-up never changes a known year: that is a profile edit,
    logged and shown to organisations (``change_birth_year``)."""
    profile = existing_profile(user)
    known = profile.birth_year if profile is not None else None
    if known is None:
        if given is not None:
            profile_for(user).birth_year = given
        return given
    if given is not None and given != known:
        raise DomainError(
            _("Rok urodzenia zmienisz w swoim profilu wolontariusza, nie przy zapisie."),
            status=422,
            field="birth_year",
        )
    return known


def change_birth_year(profile: VolunteerProfile, birth_year: int | None, *, now=None) -> None:
    """A profile edit of the birth year: a change of a known year is timestamped and written
    into the history of every active sign-up, where the organisation sees it."""
    previous = profile.birth_year
    if previous == birth_year:
        return
    profile.birth_year = birth_year
    if previous is None:
        return
    now = now or utcnow()
    profile.birth_year_changed_at = now
    active = db.session.scalars(
        sa.select(Signup).where(
            Signup.user_id == profile.user_id, Signup.status.in_(ACTIVE_STATUSES)
        )
    )
    shown = "–" if birth_year is None else str(birth_year)
    for signup in active:
        set_status(
            signup,
            signup.status,
            actor=profile.user,
            reason=f"birth year changed in the profile: {previous} → {shown}",
        )


def cancel(signup_id: int, *, actor: User | None, reason: str = "", now=None) -> Signup:
    """The volunteer (or, for guests, the holder of the signed link) cancels. A held place goes
    to the waitlist at once, however late the cancellation."""
    now = now or utcnow()
    signup, shift = _locked_signup(signup_id)
    if not signup.is_active:
        raise DomainError(_("To zgłoszenie nie jest już aktywne."))
    if shift.ends_at <= now:
        raise DomainError(_("Ten termin już się odbył."))
    late = shift.starts_at - now < LATE_CANCELLATION
    held = signup.holds_place
    signup.waitlist_position = None
    note = "late cancellation" if late and held else "cancelled by the volunteer"
    set_status(signup, SignupStatus.CANCELLED, actor=actor, reason=(reason or note))
    db.session.flush()
    if held:
        _promote_or_release(shift, now, actor)
    mail_organisation(signup, "late_cancelled" if late and held else "cancelled")
    return signup


def decide(signup_id: int, *, accept: bool, message: str, actor: User, now=None) -> Signup:
    """The organisation accepts or declines an application (with a message to the volunteer)."""
    now = now or utcnow()
    signup, shift = _locked_signup(signup_id)
    if signup.is_own(actor):
        raise DomainError(
            _("Nie możesz odpowiedzieć na własne zgłoszenie: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if not (signup.status == SignupStatus.PENDING if accept else signup.awaits_answer):
        raise DomainError(_("To zgłoszenie ma już odpowiedź albo zostało wycofane."))
    if accept and signup.guardian_name is not None and signup.guardian_consent_at is None:
        raise DomainError(
            _("To zgłoszenie czeka na zgodę rodzica lub opiekuna: przyjmiesz je po jej otrzymaniu.")
        )
    if accept:
        # Accepting once the shift has begun lets the volunteer serve at once: over 30 days
        # only with the written agreement (the agreement is generated here otherwise).
        if shift.starts_at <= now:
            require_in_force(signup, shift)
        else:
            ensure_agreement(signup)
    held = signup.holds_place
    signup.response_message = message.strip()[:1000]
    if signup.pending_since is not None and signup.responded_at is None:
        signup.responded_at = now
    signup.waitlist_position = None
    status = SignupStatus.ACCEPTED if accept else SignupStatus.DECLINED
    set_status(signup, status, actor=actor, reason=message)
    db.session.flush()
    if held and not accept:
        _promote_or_release(shift, now, actor)
    mail_volunteer(signup, "accepted" if accept else "declined")
    return signup


def confirm_coming(signup_id: int, now=None) -> bool:
    """The volunteer says they are coming (the one-click link of the reminder). Harmless if
    repeated; False when the sign-up holds no place or the shift is over."""
    now = now or utcnow()
    signup, _shift = _locked_signup(signup_id)
    if not signup.can_confirm_coming(now):
        return False
    if signup.coming_confirmed_at is None:
        signup.coming_confirmed_at = now
        db.session.flush()
    return True


def check_hours(shift: Shift, hours: Decimal) -> None:
    """Nobody is credited more hours than the shift lasted: the hours flow into certificates
    and into the valuation of unpaid work (wkład osobowy) settled with grant givers."""
    if hours < 0:
        raise DomainError(_("Liczba godzin nie może być ujemna."), status=422, field="hours")
    if hours > shift.duration_hours:
        raise DomainError(
            _(
                "Termin trwał %(hours)s godz.: nie można potwierdzić więcej.",
                hours=number(shift.duration_hours),
            ),
            status=422,
            field="hours",
        )


def record_attendance(
    signup_id: int, *, attended: bool, hours: Decimal | None, actor: User, now=None
) -> Signup:
    now = now or utcnow()
    signup, shift = _locked_signup(signup_id)
    if signup.is_own(actor):
        raise DomainError(
            _("Nie możesz potwierdzić własnych godzin: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if shift.ends_at > now:
        raise DomainError(
            _("Obecność i godziny można potwierdzić dopiero po terminie."), status=422
        )
    if signup.status != SignupStatus.ACCEPTED:
        raise DomainError(_("Obecność potwierdza się tylko dla przyjętych zgłoszeń."), status=422)
    if attended:
        hours = shift.duration_hours if hours is None else hours
        check_hours(shift, hours)
        require_in_force(signup, shift)
    signup.attended = attended
    signup.hours = hours if attended else None
    signup.hours_confirmed_at = now if attended else None
    db.session.flush()
    return signup


# --- profiles --------------------------------------------------------------------------------


def profile_for(user: User) -> VolunteerProfile:
    profile = existing_profile(user)
    if profile is None:
        profile = VolunteerProfile(user=user, interests=[], availability=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def existing_profile(user: User) -> VolunteerProfile | None:
    return db.session.scalar(sa.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
