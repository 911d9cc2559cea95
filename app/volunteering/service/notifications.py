"""The e-mails of the volunteering board and the signed links they carry.

Mails go through ``app.mail.send_mail``: an outbox row in the caller's transaction, delivered
after it commits. Each carries a ``topic`` naming what it is about, so a periodic job can tell
what it has already sent (``already_sent``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app.accounts.models import User
from app.extensions import db
from app.mail import OutboxMessage, send_mail
from app.organisations.models import Membership, Organisation
from app.volunteering.models import Opportunity, Signup

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


# --- messages --------------------------------------------------------------------------------


def volunteer_topic(signup: Signup, event: str, suffix: str = "") -> str:
    return f"volunteering-{event}:{signup.id}{suffix}"[:120]


def already_sent(topic: str) -> bool:
    """Whether a message about ``topic`` is in the outbox (sent or waiting to be)."""
    return (
        db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.topic == topic).limit(1))
        is not None
    )


# Mails that put the shift in the volunteer's calendar (the .ics has the private feed's UID, so
# a moved shift replaces the event added from the sign-up mail).
CALENDAR_EVENTS = {"signed_up", "promoted", "accepted", "shift_moved"}


def calendar_attachments(signup: Signup, event: str) -> list:
    from app.calendars.single import ics_attachment
    from app.volunteering.calendar import signup_event

    if event not in CALENDAR_EVENTS or not signup.holds_place:
        return []
    calendar_event = signup_event(signup)
    if calendar_event is None:
        return []
    filename = f"wolontariat-{signup.shift_id}.ics"
    return [ics_attachment(filename, signup.shift.opportunity.title, [calendar_event])]


def mail_volunteer(
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
    attachments = calendar_attachments(signup, event)
    extra.setdefault("agreement_url", _agreement_url(signup, event))
    send_mail(
        recipient,
        subject_in(VOLUNTEER_SUBJECTS[event], opportunity.title, locale),
        template,
        locale=locale,
        topic=volunteer_topic(signup, event, topic_suffix),
        event=event,
        signup=signup,
        shift=signup.shift,
        opportunity=opportunity,
        cancel_url=external("volunteering.guest_cancel", token=signup_token(signup, "cancel"))
        if signup.user is None
        else external("volunteering.my_signups"),
        coming_url=external("volunteering.coming", token=signup_token(signup, "coming")),
        attachments=attachments,
        with_calendar=bool(attachments),
        **extra,
    )


def _agreement_url(signup: Signup, event: str) -> str | None:
    """The link to the agreement an accepted engagement has (art. 44); a guest's (accepted with
    the sign-up form) by a signed link, as the guest has no account to read it in."""
    from app.volunteering.agreements.service import agreement_for

    if event not in ("signed_up", "promoted", "accepted"):
        return None
    if signup.user is None:
        return _guest_agreement_url(signup)
    if signup.status.value != "accepted":
        return None
    agreement = agreement_for(signup.shift.opportunity_id, signup.user_id)
    if agreement is None:
        return None
    return external("volunteering.my_agreement", agreement_id=agreement.id)


def _guest_agreement_url(signup: Signup) -> str | None:
    from app.volunteering.agreements.models import Agreement

    made = db.session.scalar(sa.select(Agreement.id).where(Agreement.guest_signup_id == signup.id))
    if made is None:
        return None
    return external("volunteering.guest_agreement", token=signup_token(signup, "agreement"))


def organisation_recipients(
    organisation: Organisation, opportunity: Opportunity | None = None, *, applicant=None
) -> list[tuple[str, str | None]]:
    """Who hears of applications: the offer's contact address, or else every member; never
    ``applicant`` (the user who applied) himself, who is not the one to answer."""
    if opportunity is not None and opportunity.contact_email:
        recipients = [(opportunity.contact_email, None)]
    else:
        members = db.session.scalars(
            sa.select(User)
            .join(Membership)
            .where(Membership.organisation_id == organisation.id)
            .order_by(User.id)
        ).all()
        recipients = [(member.email, member.locale) for member in members]
    if applicant is not None:
        own = applicant.email.strip().lower()
        recipients = [(email, locale) for email, locale in recipients if email.lower() != own]
    return recipients


def mail_organisation(signup: Signup, event: str) -> None:
    opportunity = signup.shift.opportunity
    recipients = organisation_recipients(
        opportunity.organisation, opportunity, applicant=signup.user
    )
    for recipient, locale in recipients:
        send_mail(
            recipient,
            subject_in(ORGANISATION_SUBJECTS[event], opportunity.title, locale),
            "volunteering/mail/organisation.txt",
            locale=locale,
            topic=f"volunteering-org-{event}:{signup.id}"[:120],
            event=event,
            signup=signup,
            shift=signup.shift,
            opportunity=opportunity,
            applicants_url=external(
                "volunteering.org_applicants",
                slug=opportunity.organisation.slug,
                opportunity_id=opportunity.id,
            ),
        )


def subject_in(template, title: str, locale: str | None) -> str:
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(template) % {"title": title}


def external(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)
