"""Volunteering domain logic: sign-ups, the waitlist, answers, attendance and hours.

Every change of places on a shift runs inside ``write_lock`` with the shift row locked
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), and the counter moves only
through guarded UPDATEs; the CHECK constraints on ``volunteering_shifts`` are the last line.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from app.accounts.models import User
from app.db import utcnow, write_lock
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Membership, Organisation
from app.timeutil import local_day_bounds, local_today, to_local
from app.volunteering.models import (
    HOLDING_STATUSES,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
    VolunteerProfile,
)

# Nobody younger signs up alone; 13–17 need a guardian's consent.
PLATFORM_MIN_AGE = 13
ADULT_AGE = 18
LATE_CANCELLATION = timedelta(hours=24)
UNANSWERED_AFTER = timedelta(days=3)
MICRO_MAX_DURATION = timedelta(hours=2)
ACTIVE_STATUSES = (*HOLDING_STATUSES, SignupStatus.WAITLISTED)
DEFAULT_HOURLY_RATE = Decimal("31.40")  # the 2026 minimum hourly rate, PLN; configurable


class SignupRefused(Exception):
    """A sign-up or change that cannot be made; ``message`` is shown to the user."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


class ShiftTimesInvalid(SignupRefused):
    """New times a shift cannot have; ``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), 422)
        self.errors = errors


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class Guardian:
    name: str
    contact: str


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


def check_age(opportunity: Opportunity, birth_year: int | None, day: date) -> None:
    if birth_year is None:
        raise SignupRefused(_("Podaj rok urodzenia, aby się zapisać."), 422)
    age = age_in_year(birth_year, day)
    minimum = max(opportunity.min_age or 0, PLATFORM_MIN_AGE)
    if age < minimum:
        raise SignupRefused(
            ngettext(
                "Ta oferta jest dla osób, które mają co najmniej %(num)d rok. Zajrzyj do innych ofert.",
                "Ta oferta jest dla osób, które mają co najmniej %(num)d lat. Zajrzyj do innych ofert.",
                minimum,
            ),
            422,
        )


# --- places and the waitlist ----------------------------------------------------------------


def _lock_shift(shift_id: int) -> Shift | None:
    shift = db.session.scalar(sa.select(Shift).where(Shift.id == shift_id).with_for_update())
    if shift is not None:
        db.session.refresh(shift)
    return shift


def _take_place(shift: Shift) -> bool:
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


def _set_status(
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


def _enter_place(signup: Signup, opportunity: Opportunity, now: datetime, actor, reason: str):
    status = _holding_status(opportunity)
    signup.waitlist_position = None
    if status == SignupStatus.PENDING:
        signup.pending_since = now
        signup.responded_at = None
    _set_status(signup, status, actor=actor, reason=reason)


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
    _enter_place(promoted, shift.opportunity, now, actor, "promoted from the waitlist")
    db.session.flush()
    _mail_volunteer(promoted, "promoted")
    _mail_organisation(promoted, "promoted")
    return promoted


def _find_existing(shift: Shift, user: User | None, guest: Guest | None) -> Signup | None:
    query = sa.select(Signup).where(Signup.shift_id == shift.id)
    if user is not None:
        query = query.where(Signup.user_id == user.id)
    else:
        query = query.where(Signup.guest_email == guest.email.lower())
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
    waitlist when it is full. Raises ``SignupRefused`` with a message for the person."""
    if (user is None) == (guest is None):
        raise ValueError("either a user or a guest signs up")
    now = now or utcnow()
    with write_lock(db.session()):
        shift = _lock_shift(shift_id)
        if shift is None:
            raise SignupRefused(_("Nie ma takiego terminu."), 404)
        opportunity = shift.opportunity
        if opportunity.status != OpportunityStatus.PUBLISHED:
            raise SignupRefused(_("Zapisy na tę ofertę są zamknięte."))
        if shift.cancelled_at is not None or shift.starts_at <= now:
            raise SignupRefused(_("Ten termin już minął albo został odwołany."))
        day = to_local(shift.starts_at).date()
        guardian_at = None
        if user is not None:
            check_age(opportunity, birth_year, day)
            if needs_guardian(birth_year, day):
                if guardian is None or not guardian.name.strip() or not guardian.contact.strip():
                    raise SignupRefused(
                        _(
                            "Osoba niepełnoletnia potrzebuje zgody rodzica lub opiekuna: podaj jego imię i nazwisko oraz kontakt i potwierdź zgodę."
                        ),
                        422,
                    )
                guardian_at = now
            _remember_birth_year(user, birth_year)
        signup = _find_existing(shift, user, guest)
        if signup is not None:
            if signup.status in ACTIVE_STATUSES:
                raise SignupRefused(_("Jesteś już zapisana/zapisany na ten termin."))
            if signup.status == SignupStatus.DECLINED:
                raise SignupRefused(_("Organizacja odpowiedziała już na Twoje zgłoszenie."))
            signup.response_message = ""  # an answer to the withdrawn application
        else:
            signup = Signup(shift=shift, user=user, status=SignupStatus.CANCELLED)
            if guest is not None:
                signup.guest_name = guest.name.strip()
                signup.guest_email = guest.email.strip().lower()
                signup.guest_phone = guest.phone.strip() or None
            db.session.add(signup)
        signup.message = message.strip()[:1000]
        signup.guardian_name = guardian.name.strip() if guardian_at else None
        signup.guardian_contact = guardian.contact.strip() if guardian_at else None
        signup.guardian_consent_at = guardian_at
        if _take_place(shift):
            _enter_place(signup, opportunity, now, user, "signed up")
        else:
            signup.waitlist_position = _next_waitlist_position(shift)
            _set_status(signup, SignupStatus.WAITLISTED, actor=user, reason="shift full")
        db.session.flush()
        _mail_volunteer(signup, "signed_up")
        _mail_organisation(signup, "signed_up")
    return signup


def _remember_birth_year(user: User, birth_year: int | None) -> None:
    profile = profile_for(user)
    if profile.birth_year != birth_year:
        profile.birth_year = birth_year


def cancel(signup_id: int, *, actor: User | None, reason: str = "", now=None) -> Signup:
    """The volunteer (or, for guests, the holder of the signed link) cancels. A held place goes
    to the waitlist at once, however late the cancellation."""
    now = now or utcnow()
    with write_lock(db.session()):
        signup = db.session.get(Signup, signup_id)
        shift = _lock_shift(signup.shift_id)
        db.session.refresh(signup)
        if signup.status not in ACTIVE_STATUSES:
            raise SignupRefused(_("To zgłoszenie nie jest już aktywne."))
        if shift.ends_at <= now:
            raise SignupRefused(_("Ten termin już się odbył."))
        late = shift.starts_at - now < LATE_CANCELLATION
        held = signup.holds_place
        signup.waitlist_position = None
        note = "late cancellation" if late and held else "cancelled by the volunteer"
        _set_status(signup, SignupStatus.CANCELLED, actor=actor, reason=(reason or note))
        db.session.flush()
        if held:
            _promote_or_release(shift, now, actor)
        _mail_organisation(signup, "late_cancelled" if late and held else "cancelled")
    return signup


def decide(signup_id: int, *, accept: bool, message: str, actor: User, now=None) -> Signup:
    """The organisation accepts or declines an application (with a message to the volunteer)."""
    now = now or utcnow()
    with write_lock(db.session()):
        signup = db.session.get(Signup, signup_id)
        shift = _lock_shift(signup.shift_id)
        db.session.refresh(signup)
        allowed = (
            (SignupStatus.PENDING,) if accept else (SignupStatus.PENDING, SignupStatus.WAITLISTED)
        )
        if signup.status not in allowed:
            raise SignupRefused(_("To zgłoszenie ma już odpowiedź albo zostało wycofane."))
        held = signup.holds_place
        signup.response_message = message.strip()[:1000]
        if signup.pending_since is not None and signup.responded_at is None:
            signup.responded_at = now
        signup.waitlist_position = None
        status = SignupStatus.ACCEPTED if accept else SignupStatus.DECLINED
        _set_status(signup, status, actor=actor, reason=message)
        db.session.flush()
        if held and not accept:
            _promote_or_release(shift, now, actor)
        _mail_volunteer(signup, "accepted" if accept else "declined")
    return signup


def change_capacity(shift_id: int, capacity: int, *, actor: User, now=None) -> Shift:
    """Set a shift's capacity; more places promote the waitlist at once. Fewer places than are
    already held is refused (the CHECK constraint would refuse it too)."""
    now = now or utcnow()
    with write_lock(db.session()):
        shift = _lock_shift(shift_id)
        if capacity < shift.taken:
            raise SignupRefused(
                ngettext(
                    "Na ten termin zapisała się już %(num)d osoba; nie można zmniejszyć liczby miejsc poniżej tej liczby.",
                    "Na ten termin zapisało się już %(num)d osób; nie można zmniejszyć liczby miejsc poniżej tej liczby.",
                    shift.taken,
                ),
                422,
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
            if not _take_place(shift):
                break
            _enter_place(signup, shift.opportunity, now, actor, "promoted: more places")
            db.session.flush()
            _mail_volunteer(signup, "promoted")
    return shift


def cancel_shift(shift_id: int, *, actor: User, now=None) -> Shift:
    """The organisation calls a shift off: every active sign-up is cancelled and told."""
    now = now or utcnow()
    with write_lock(db.session()):
        shift = _lock_shift(shift_id)
        if shift.cancelled_at is not None:
            return shift
        shift.cancelled_at = now
        shift.sequence += 1
        for signup in shift.signups:
            if signup.status in ACTIVE_STATUSES:
                signup.waitlist_position = None
                _set_status(signup, SignupStatus.CANCELLED, actor=actor, reason="shift cancelled")
                _mail_volunteer(signup, "shift_cancelled")
        db.session.flush()
        db.session.execute(
            sa.update(Shift)
            .where(Shift.id == shift.id)
            .values(taken=0)
            .execution_options(synchronize_session=False)
        )
    return shift


# --- shift times -----------------------------------------------------------------------------


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
    shift cannot have and ``SignupRefused`` for a shift that has started or was cancelled.
    """
    now = now or utcnow()
    with write_lock(db.session()):
        shift = _lock_shift(shift_id)
        if shift is None:
            raise SignupRefused(_("Nie ma takiego terminu."), 404)
        if not can_move(shift, now):
            raise SignupRefused(cannot_move_message())
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
            if signup.status not in ACTIVE_STATUSES:
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
            _mail_volunteer(
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


def confirm_coming(signup: Signup, now=None) -> None:
    if signup.coming_confirmed_at is None:
        signup.coming_confirmed_at = now or utcnow()
    db.session.commit()


def record_attendance(
    signup_id: int, *, attended: bool, hours: Decimal | None, actor: User, now=None
) -> Signup:
    now = now or utcnow()
    signup = db.session.get(Signup, signup_id)
    if signup.shift.ends_at > now:
        raise SignupRefused(_("Obecność i godziny można potwierdzić dopiero po terminie."), 422)
    if signup.status != SignupStatus.ACCEPTED:
        raise SignupRefused(_("Obecność potwierdza się tylko dla przyjętych zgłoszeń."), 422)
    if attended:
        hours = signup.shift.duration_hours if hours is None else hours
        if hours < 0 or hours > 24:
            raise SignupRefused(_("Liczba godzin musi być między 0 a 24."), 422)
    signup.attended = attended
    signup.hours = hours if attended else None
    signup.hours_confirmed_at = now if attended else None
    db.session.commit()
    return signup


# --- profiles --------------------------------------------------------------------------------


def profile_for(user: User) -> VolunteerProfile:
    profile = db.session.scalar(
        sa.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id)
    )
    if profile is None:
        profile = VolunteerProfile(user=user, interests=[], availability=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def existing_profile(user: User) -> VolunteerProfile | None:
    return db.session.scalar(sa.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))


# --- signed links in e-mails -------------------------------------------------------------------


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"volunteering-{purpose}")


def signup_token(signup: Signup, purpose: str) -> str:
    return _serializer(purpose).dumps(signup.id)


def signup_from_token(token: str, purpose: str) -> Signup | None:
    try:
        signup_id = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return db.session.get(Signup, signup_id) if isinstance(signup_id, int) else None


# --- e-mails ---------------------------------------------------------------------------------

VOLUNTEER_SUBJECTS = {
    "signed_up": _l("Zgłoszenie na wolontariat: %(title)s"),
    "promoted": _l("Zwolniło się miejsce: %(title)s"),
    "accepted": _l("Zgłoszenie przyjęte: %(title)s"),
    "declined": _l("Odpowiedź na zgłoszenie: %(title)s"),
    "shift_cancelled": _l("Termin odwołany: %(title)s"),
    "reminder": _l("Przypomnienie: jutro %(title)s"),
    "shift_moved": _l("Zmiana terminu: %(title)s"),
}
ORGANISATION_SUBJECTS = {
    "signed_up": _l("Nowe zgłoszenie: %(title)s"),
    "promoted": _l("Osoba z listy rezerwowej dostała miejsce: %(title)s"),
    "cancelled": _l("Rezygnacja: %(title)s"),
    "late_cancelled": _l("Późna rezygnacja: %(title)s"),
}


def _mail_volunteer(
    signup: Signup,
    event: str,
    *,
    template: str = "volunteering/mail/volunteer.txt",
    topic_suffix: str = "",
    **extra,
) -> None:
    recipient = signup.email
    if not recipient or signup.anonymised_at is not None:
        return
    opportunity = signup.shift.opportunity
    locale = signup.user.locale if signup.user is not None else None
    with_locale = _subject(VOLUNTEER_SUBJECTS[event], opportunity.title, locale)
    send_mail(
        recipient,
        with_locale,
        template,
        locale=locale,
        topic=f"volunteering-{event}:{signup.id}{topic_suffix}"[:120],
        event=event,
        signup=signup,
        shift=signup.shift,
        opportunity=opportunity,
        cancel_url=_external("volunteering.guest_cancel", token=signup_token(signup, "cancel"))
        if signup.user is None
        else _external("volunteering.my_signups"),
        coming_url=_external("volunteering.coming", token=signup_token(signup, "coming")),
        **extra,
    )


def organisation_recipients(organisation: Organisation, opportunity: Opportunity | None = None):
    if opportunity is not None and opportunity.contact_email:
        return [(opportunity.contact_email, None)]
    members = db.session.scalars(
        sa.select(User).join(Membership).where(Membership.organisation_id == organisation.id)
    ).all()
    return [(member.email, member.locale) for member in members]


def _mail_organisation(signup: Signup, event: str) -> None:
    opportunity = signup.shift.opportunity
    for recipient, locale in organisation_recipients(opportunity.organisation, opportunity):
        send_mail(
            recipient,
            _subject(ORGANISATION_SUBJECTS[event], opportunity.title, locale),
            "volunteering/mail/organisation.txt",
            locale=locale,
            topic=f"volunteering-org-{event}:{signup.id}"[:120],
            event=event,
            signup=signup,
            shift=signup.shift,
            opportunity=opportunity,
            applicants_url=_external(
                "volunteering.org_applicants",
                slug=opportunity.organisation.slug,
                opportunity_id=opportunity.id,
            ),
        )


def _subject(template, title: str, locale: str | None) -> str:
    from flask_babel import force_locale

    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(template) % {"title": title}


def _external(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


# --- cron jobs -------------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Remind volunteers of tomorrow's shifts (Warsaw calendar day). Idempotent: each sign-up
    is reminded once per time of its shift (``reminded_at``, which ``move_shift`` clears), so
    cron may run it as often as it likes."""
    now = now or utcnow()
    tomorrow = to_local(now).date() + timedelta(days=1)
    start, end = local_day_bounds(tomorrow)
    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .where(
            Shift.starts_at >= start,
            Shift.starts_at < end,
            Shift.cancelled_at.is_(None),
            Signup.status.in_(HOLDING_STATUSES),
            Signup.reminded_at.is_(None),
            Signup.anonymised_at.is_(None),
        )
        .order_by(Signup.id)
    ).all()
    for signup in signups:
        _mail_volunteer(signup, "reminder", topic_suffix=f":{signup.shift.sequence}")
        signup.reminded_at = now
    db.session.commit()
    return len(signups)


def send_unanswered_reminders(now: datetime | None = None) -> int:
    """Remind organisations of applications waiting for an answer for 3 days (once each)."""
    now = now or utcnow()
    signups = db.session.scalars(
        sa.select(Signup)
        .where(
            Signup.status == SignupStatus.PENDING,
            Signup.pending_since <= now - UNANSWERED_AFTER,
            Signup.organisation_reminded_at.is_(None),
        )
        .order_by(Signup.id)
    ).all()
    by_organisation: dict[int, list[Signup]] = {}
    for signup in signups:
        by_organisation.setdefault(signup.shift.opportunity.organisation_id, []).append(signup)
    for waiting in by_organisation.values():
        organisation = waiting[0].shift.opportunity.organisation
        for recipient, locale in organisation_recipients(organisation):
            send_mail(
                recipient,
                _subject(
                    _l("Zgłoszenia czekają na odpowiedź: %(title)s"), organisation.name, locale
                ),
                "volunteering/mail/unanswered.txt",
                locale=locale,
                topic=f"volunteering-unanswered:{organisation.id}:{now:%Y%m%d}",
                organisation=organisation,
                signups=waiting,
                dashboard_url=_external("volunteering.org_dashboard", slug=organisation.slug),
            )
        for signup in waiting:
            signup.organisation_reminded_at = now
    db.session.commit()
    return len(signups)


# --- public figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsiveness:
    median_hours: float | None
    answered_share: float
    counted: int


def responsiveness(organisation_id: int, now: datetime | None = None) -> Responsiveness | None:
    """How quickly and how often an organisation answers applications (last 365 days).

    Counted: applications that waited for an answer and either got one or have waited at least
    three days; applications withdrawn before an answer do not count.
    """
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Signup.pending_since, Signup.responded_at, Signup.status)
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation_id,
            Signup.pending_since.is_not(None),
            Signup.pending_since >= now - timedelta(days=365),
        )
    ).all()
    answered: list[float] = []
    unanswered = 0
    for since, responded, status in rows:
        if responded is not None:
            answered.append((responded - since).total_seconds() / 3600)
        elif status == SignupStatus.PENDING and now - since >= UNANSWERED_AFTER:
            unanswered += 1
    counted = len(answered) + unanswered
    if counted == 0:
        return None
    return Responsiveness(
        median_hours=statistics.median(answered) if answered else None,
        answered_share=len(answered) / counted,
        counted=counted,
    )


@dataclass
class HoursReport:
    start: date
    end: date
    rate: Decimal
    rows: list[tuple[Opportunity, int, Decimal]]
    total_hours: Decimal
    volunteers: int

    @property
    def total_value(self) -> Decimal:
        return (self.total_hours * self.rate).quantize(Decimal("0.01"))

    def value(self, hours: Decimal) -> Decimal:
        return (hours * self.rate).quantize(Decimal("0.01"))


def hourly_rate() -> Decimal:
    return Decimal(str(current_app.config.get("VOLUNTEER_HOURLY_RATE", DEFAULT_HOURLY_RATE)))


def hours_report(organisation: Organisation, start: date, end: date, rate: Decimal) -> HoursReport:
    """Confirmed volunteer hours of shifts held from ``start`` to ``end`` (inclusive, Warsaw
    days), per opportunity, valued at ``rate`` per hour (wkład osobowy in a grant settlement)."""
    lower = local_day_bounds(start)[0]
    upper = local_day_bounds(end)[1]
    signups = db.session.scalars(
        sa.select(Signup)
        .join(Shift)
        .join(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id,
            Signup.hours_confirmed_at.is_not(None),
            Signup.hours.is_not(None),
            Shift.starts_at >= lower,
            Shift.starts_at < upper,
        )
        .order_by(Opportunity.title, Signup.id)
    ).all()
    per_opportunity: dict[int, list] = {}
    people: set = set()
    for signup in signups:
        opportunity = signup.shift.opportunity
        entry = per_opportunity.setdefault(opportunity.id, [opportunity, set(), Decimal(0)])
        person = signup.user_id or f"signup-{signup.id}"
        entry[1].add(person)
        entry[2] += signup.hours
        people.add(person)
    rows = [(opp, len(persons), hours) for opp, persons, hours in per_opportunity.values()]
    total = sum((hours for _o, _p, hours in rows), Decimal(0))
    return HoursReport(start, end, rate, rows, total, len(people))


def default_report_period() -> tuple[date, date]:
    today = local_today()
    return date(today.year, 1, 1), today
