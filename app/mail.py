"""Outgoing e-mail. Every message is kept in the outbox table (an audit trail and, without an
SMTP server, the way a developer reads what was sent); with MAIL_SERVER set it is also sent."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.extensions import db

log = logging.getLogger(__name__)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # What the message is about, e.g. "shift-reminder:123"; lets cron jobs stay idempotent.
    topic: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


def send_mail(
    recipient: str,
    subject: str,
    template: str,
    *,
    locale: str | None = None,
    topic: str | None = None,
    **context,
) -> OutboxMessage:
    """Render the plain-text ``template`` (e.g. ``accounts/mail/confirm_email.txt``) in the
    recipient's language and send it.

    ``subject`` should already be a lazy or plain translated string; it is rendered inside the
    recipient's locale. The message is added to the current session; the caller commits.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(template, **context)
        subject = str(subject)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, topic=topic)
    db.session.add(message)
    if current_app.config.get("MAIL_SERVER"):
        _deliver(message)
    else:
        log.info("Mail to %s: %s\n%s", recipient, subject, body)
    return message


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="wspolnie")
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
        message.sent_at = utcnow()
    except (OSError, smtplib.SMTPException):
        # The message stays in the outbox unsent; a failed mail must not fail the user's action.
        log.exception("Could not send mail to %s", message.recipient)
