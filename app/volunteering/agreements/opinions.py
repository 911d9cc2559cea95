"""Opinions (art. 44 ust. 5): on the volunteer's request the organisation writes a written
opinion on the services performed. The volunteer may ask an organisation that confirmed their
hours; one request waits at a time."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Organisation
from app.volunteering.agreements.models import Opinion
from app.volunteering.agreements.service import language_of
from app.volunteering.service.notifications import external, organisation_recipients, subject_in
from app.volunteering.service.reports import confirmed_work

REQUESTED = _l("Prośba o opinię wolontariusza: %(title)s")
WRITTEN = _l("Opinia o wykonaniu świadczeń: %(title)s")


def open_request(organisation_id: int, user_id: int) -> Opinion | None:
    return db.session.scalar(
        sa.select(Opinion).where(
            Opinion.organisation_id == organisation_id,
            Opinion.user_id == user_id,
            Opinion.written_at.is_(None),
        )
    )


def request_opinion(organisation: Organisation, *, user: User, note: str = "") -> Opinion:
    if not confirmed_work(user, organisation):
        raise DomainError(
            _("O opinię prosi się organizację, która potwierdziła Twoje godziny."), status=404
        )
    if open_request(organisation.id, user.id) is not None:
        raise DomainError(_("Prośba o opinię już czeka na organizację."))
    opinion = Opinion(
        organisation_id=organisation.id,
        user_id=user.id,
        volunteer_name=user.name,
        language=language_of(user),
        request_note=note.strip()[:500],
        requested_at=utcnow(),
    )
    db.session.add(opinion)
    db.session.flush()
    for recipient, locale in organisation_recipients(organisation, applicant=user):
        send_mail(
            recipient,
            subject_in(REQUESTED, user.name, locale),
            "volunteering/mail/opinion_requested.txt",
            locale=locale,
            topic=f"volunteering-opinion-requested:{opinion.id}",
            opinion=opinion,
            organisation=organisation,
            url=external("volunteering.org_opinion", slug=organisation.slug, opinion_id=opinion.id),
        )
    return opinion


def write_opinion(opinion: Opinion, text: str, *, actor: User, now=None) -> None:
    if opinion.user_id is not None and opinion.user_id == actor.id:
        raise DomainError(
            _("Nie możesz wystawić opinii samej/samemu sobie: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if opinion.written_at is not None:
        raise DomainError(_("Ta opinia jest już wystawiona."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Napisz treść opinii."), status=422, field="text")
    opinion.text = text[:5000]
    opinion.written_at = now or utcnow()
    opinion.written_by_id = actor.id
    db.session.flush()
    user = db.session.get(User, opinion.user_id) if opinion.user_id else None
    if user is not None:
        send_mail(
            user.email,
            subject_in(WRITTEN, opinion.organisation.name, user.locale),
            "volunteering/mail/opinion_written.txt",
            locale=user.locale,
            topic=f"volunteering-opinion-written:{opinion.id}",
            opinion=opinion,
            url=external("volunteering.my_opinion", opinion_id=opinion.id),
        )


def work_summary(opinion: Opinion):
    """The period and hours the opinion is about (confirmed shifts with the organisation)."""
    user = db.session.get(User, opinion.user_id) if opinion.user_id else None
    entries = confirmed_work(user, opinion.organisation) if user is not None else []
    total = sum((entry.hours for entry in entries), Decimal(0))
    first = entries[0].day if entries else None
    last = entries[-1].day if entries else None
    return first, last, total


def opinions_of_user(user: User) -> list[Opinion]:
    return list(
        db.session.scalars(
            sa.select(Opinion).where(Opinion.user_id == user.id).order_by(Opinion.id)
        )
    )


def opinions_of_organisation(organisation: Organisation) -> list[Opinion]:
    return list(
        db.session.scalars(
            sa.select(Opinion)
            .where(Opinion.organisation_id == organisation.id)
            .order_by(Opinion.written_at.is_not(None), Opinion.requested_at.desc())
        )
    )
