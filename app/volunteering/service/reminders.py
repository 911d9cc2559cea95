"""The periodic mails: the day-before shift reminder, applications waiting for an answer, the
weekly digest. Run by the jobs in ``app/volunteering/tasks.py`` and the ``send-reminders`` and
``send-digest`` commands.

Each item (a reminder, an organisation, a digest recipient) gets its own short transaction:
the mail and the mark that it went out are stored together, so a crash half-way keeps what was
done, and the next run neither loses nor repeats anything. A failure on one item is logged and
the others go on. The outbox ``topic`` of what was sent is checked too, so a mark cleared by
hand never sends the same message twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Organisation
from app.timeutil import local_day_bounds, to_local
from app.unit_of_work import transaction
from app.volunteering.models import (
    HOLDING_STATUSES,
    Opportunity,
    Shift,
    Signup,
    SignupStatus,
    VolunteerProfile,
)
from app.volunteering.service.notifications import (
    already_sent,
    external,
    mail_volunteer,
    organisation_recipients,
    subject_in,
    volunteer_topic,
)
from app.volunteering.service.reports import UNANSWERED_AFTER
from app.volunteering.service.signups import lock_shift

log = logging.getLogger(__name__)

DIGEST_INTERVAL = timedelta(days=7)


def _each(items: Iterable, handle: Callable[..., int], what: str) -> int:
    """``handle(item)`` in one transaction per item; returns the sum of what it returned."""
    done = 0
    for item in items:
        try:
            with transaction():
                done += handle(item)
        except Exception:
            log.exception("Volunteering %s %s failed; the next run tries again", what, item)
    return done


def _ids(query) -> list:
    """What to work on, read before the items' own transactions begin (``transaction()`` ends
    this read first on SQLite, where a reading transaction cannot become a writing one)."""
    return list(db.session.scalars(query))


# --- the day before a shift ------------------------------------------------------------------


def _due_reminders(now: datetime):
    tomorrow = to_local(now).date() + timedelta(days=1)
    start, end = local_day_bounds(tomorrow)
    return (
        sa.select(Signup.id)
        .join(Shift)
        .join(Opportunity, Shift.opportunity_id == Opportunity.id)
        .where(
            Shift.starts_at >= start,
            Shift.starts_at < end,
            Shift.cancelled_at.is_(None),
            # An offer city staff hid is on hold: no "see you tomorrow" for it.
            Opportunity.hidden_at.is_(None),
            Signup.status.in_(HOLDING_STATUSES),
            Signup.reminded_at.is_(None),
            Signup.anonymised_at.is_(None),
        )
        .order_by(Signup.id)
    )


def send_reminders(now: datetime | None = None) -> int:
    """Remind volunteers of tomorrow's shifts (Warsaw calendar day); returns how many reminders
    were sent. Idempotent: each sign-up is reminded once per time of its shift (``reminded_at``,
    which ``move_shift`` clears, and the outbox topic, which names the shift's sequence), so it
    may run as often as one likes."""
    now = now or utcnow()

    def remind(signup_id: int) -> int:
        signup = db.session.get(Signup, signup_id)
        shift = lock_shift(signup.shift_id)
        # Still due once the shift is locked (moved, cancelled or withdrawn meanwhile?).
        if db.session.scalar(_due_reminders(now).where(Signup.id == signup_id)) is None:
            return 0
        db.session.refresh(signup)
        signup.reminded_at = now
        suffix = f":{shift.sequence}"
        if already_sent(volunteer_topic(signup, "reminder", suffix)):
            return 0
        mail_volunteer(signup, "reminder", topic_suffix=suffix)
        return 1

    return _each(_ids(_due_reminders(now)), remind, "shift reminder")


# --- applications waiting for an answer --------------------------------------------------------


def _unanswered(now: datetime):
    return (
        sa.select(Signup)
        .join(Shift)
        .join(Opportunity)
        .where(
            Signup.status == SignupStatus.PENDING,
            Signup.pending_since <= now - UNANSWERED_AFTER,
            Signup.organisation_reminded_at.is_(None),
        )
    )


def _tell_members(organisation: Organisation, waiting: list[Signup], topic: str) -> list[Signup]:
    """Mail each member the applications of others waiting for an answer; returns those someone
    was told of. One nobody was told of (no member, or only the applicant) stays unreminded and
    uncounted, so a member who joins later still hears of it."""
    told: set[int] = set()
    for recipient, locale in organisation_recipients(organisation):
        others = [s for s in waiting if (s.email or "").lower() != recipient.lower()]
        if not others:
            continue
        send_mail(
            recipient,
            subject_in(_l("Zgłoszenia czekają na odpowiedź: %(title)s"), organisation.name, locale),
            "volunteering/mail/unanswered.txt",
            locale=locale,
            topic=topic,
            organisation=organisation,
            signups=others,
            dashboard_url=external("volunteering.org_dashboard", slug=organisation.slug),
        )
        told.update(s.id for s in others)
    return [s for s in waiting if s.id in told]


def send_unanswered_reminders(now: datetime | None = None) -> int:
    """Remind organisations of applications waiting for an answer for 3 days (once each, one
    mail per organisation); returns how many applications were reminded of."""
    now = now or utcnow()
    organisations = _ids(
        _unanswered(now)
        .with_only_columns(Opportunity.organisation_id)
        .distinct()
        .order_by(Opportunity.organisation_id)
    )

    def remind(organisation_id: int) -> int:
        organisation = db.session.get(Organisation, organisation_id)
        waiting = db.session.scalars(
            _unanswered(now)
            .where(Opportunity.organisation_id == organisation_id)
            .order_by(Signup.id)
        ).all()
        if not waiting:
            return 0
        topic = f"volunteering-unanswered:{organisation.id}:{now:%Y%m%d}"
        # Sent before (its marks cleared by hand): mark again, send nothing twice.
        told = waiting if already_sent(topic) else _tell_members(organisation, waiting, topic)
        for signup in told:
            signup.organisation_reminded_at = now
        return len(told)

    return _each(organisations, remind, "unanswered applications of organisation")


# --- the weekly digest -------------------------------------------------------------------------


def _due_digests(now: datetime):
    return (
        sa.select(VolunteerProfile.id)
        .where(
            VolunteerProfile.digest_opt_in.is_(True),
            sa.or_(
                VolunteerProfile.last_digest_at.is_(None),
                VolunteerProfile.last_digest_at <= now - DIGEST_INTERVAL + timedelta(hours=1),
            ),
        )
        .order_by(VolunteerProfile.id)
    )


def send_digests(now: datetime | None = None) -> int:
    """The weekly e-mail of new matching opportunities to volunteers who opted in. Idempotent:
    a volunteer gets at most one digest in 7 days, and only when something new matches."""
    from app.volunteering.matching import suggestions_for

    now = now or utcnow()

    def send(profile_id: int) -> int:
        if db.session.scalar(_due_digests(now).where(VolunteerProfile.id == profile_id)) is None:
            return 0
        profile = db.session.get(VolunteerProfile, profile_id)
        since = profile.last_digest_at or now - DIGEST_INTERVAL
        user = profile.user
        profile.last_digest_at = now
        topic = f"volunteering-digest:{user.id}:{now:%Y%m%d}"
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            matches = suggestions_for(user, profile, now=now, limit=10, since=since)
            if not matches or already_sent(topic):
                return 0
            send_mail(
                user.email,
                _l("Nowe oferty wolontariatu dla Ciebie"),
                "volunteering/mail/digest.txt",
                locale=user.locale,
                topic=topic,
                user=user,
                matches=matches,
                profile_url=url_for("volunteering.profile", _external=True),
            )
        return 1

    return _each(_ids(_due_digests(now)), send, "digest of profile")
