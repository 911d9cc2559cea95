"""Mails to a round's applicants (results, changes to the round)."""

from __future__ import annotations

from flask import url_for

from app.mail import send_mail
from app.spaces.rounds.models import AllocationRound
from app.spaces.service.notifications import organisation_recipients


def mail_applicants(round_: AllocationRound, subject, template: str, topic: str, **context):
    """One mail per member of each applying organisation, in the member's language (``topic``
    plus the round and the organisation keeps each mail once in the outbox)."""
    url = url_for("spaces.round_detail", round_id=round_.id, _external=True)
    for application in round_.applications:
        for user in organisation_recipients(application.organisation_id):
            send_mail(
                user.email,
                subject,
                template,
                locale=user.locale,
                topic=f"{topic}:{round_.id}:{application.organisation_id}",
                round=round_,
                application=application,
                url=url,
                **context,
            )
