"""Outgoing e-mail through the outbox.

``send_mail`` renders the message in the recipient's language and writes an outbox row in the
caller's transaction; nothing leaves the machine then. Once that transaction commits, a job
delivers the row (``deliver_outbox_message``), outside the request, with retries and backoff;
a change that rolls back takes its mail with it. Each row is delivered once: a worker claims it
with a conditional UPDATE before talking to the SMTP server and marks it sent afterwards.
``deliver_pending_mail`` (every few minutes) picks up rows whose job was lost.

Without ``MAIL_SERVER`` a delivered message is written to the log; the outbox table is how a
developer reads what was sent.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import SQLITE_IMMEDIATE, Base, utcnow
from app.extensions import db
from app.jobs import enqueue_after_commit, periodic, task

log = logging.getLogger(__name__)

# A claimed message whose worker died is given to another worker after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 8
# Messages older than this are not retried by the sweep (they would arrive too late to help).
GIVE_UP_AFTER = timedelta(days=3)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # What the message is about, e.g. "shift-reminder:123"; lets periodic jobs stay idempotent.
    topic: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    # Delivery bookkeeping: who is sending it now, how often it was tried, why it failed.
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OutboxAttachment.id"
    )


class OutboxAttachment(Base):
    """A file sent with an outbox message (e.g. the .ics of an approved booking)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    # Full content type with parameters, e.g. "text/calendar; method=PUBLISH".
    mimetype: Mapped[str] = mapped_column(sa.String(120))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


_HEADER_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def header_value(value: str, limit: int = 300) -> str:
    """A value safe for a mail header: line breaks and control characters become one space
    (a title with a newline once made every sign-up to its offer fail)."""
    return _HEADER_BREAKS.sub(" ", str(value)).strip()[:limit]


def send_mail(
    recipient: str,
    subject: str,
    template: str,
    *,
    locale: str | None = None,
    topic: str | None = None,
    attachments: Sequence[Attachment] = (),
    **context,
) -> OutboxMessage:
    """Queue the plain-text ``template`` (e.g. ``accounts/mail/confirm_email.txt``), rendered in
    the recipient's language, for delivery after the current transaction commits.

    ``subject`` should already be a lazy or plain translated string; it is rendered inside the
    recipient's locale. ``attachments`` travel with the message (stored in the outbox too).
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(template, **context)
        subject = header_value(str(subject))
    message = OutboxMessage(
        recipient=header_value(recipient, 254), subject=subject, body=body, topic=topic
    )
    message.attachments = [
        OutboxAttachment(
            filename=header_value(item.filename, 200),
            mimetype=item.mimetype,
            content=item.content,
        )
        for item in attachments
    ]
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(deliver_outbox_message, message.id)
    return message


@task(retries=MAX_ATTEMPTS - 1, retry_delay=30, retry_backoff=2)
def deliver_outbox_message(message_id: int) -> None:
    """The job: deliver one outbox row (raises on a failed attempt, so Huey retries it)."""
    deliver(message_id)


def deliver(message_id: int, *, now: datetime | None = None) -> bool:
    """Deliver one outbox row unless it is sent or another worker holds it. True if sent now.

    Runs in its own session, never inside anyone's transaction: the SMTP conversation may take
    long, and no database lock is held while it does."""
    now = now or utcnow()
    with Session(db.engine) as session:
        session.connection(execution_options={SQLITE_IMMEDIATE: True})
        claimed = session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                sa.or_(
                    OutboxMessage.claimed_at.is_(None),
                    OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
                ),
            )
            .values(claimed_at=now, attempts=OutboxMessage.attempts + 1)
        ).rowcount
        session.commit()
        if not claimed:
            return False
        message = session.get(OutboxMessage, message_id)
        recipient, subject, body = message.recipient, message.subject, message.body
        files = [Attachment(a.filename, a.mimetype, a.content) for a in message.attachments]
    try:
        _transmit(recipient, subject, body, files)
    except Exception as error:
        log.warning("Could not send mail %s to %s: %s", message_id, recipient, error)
        _finish(message_id, sent_at=None, error=f"{type(error).__name__}: {error}"[:500])
        raise
    _finish(message_id, sent_at=utcnow(), error=None)
    return True


def _finish(message_id: int, *, sent_at: datetime | None, error: str | None) -> None:
    with Session(db.engine) as session:
        session.connection(execution_options={SQLITE_IMMEDIATE: True})
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(sent_at=sent_at, claimed_at=None, last_error=error)
        )
        session.commit()


def _transmit(
    recipient: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        names = ", ".join(a.filename for a in attachments)
        log.info("Mail to %s: %s\n%s%s", recipient, subject, body, f"\n[{names}]" if names else "")
        return
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(domain="wspolnie")
    email.set_content(body)
    for item in attachments:
        _attach(email, item)
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _attach(email: EmailMessage, item: Attachment) -> None:
    """Add ``item`` with its full content type: ``text/calendar; method=PUBLISH`` tells mail
    clients to offer "add to calendar"."""
    kind, _sep, params = item.mimetype.partition(";")
    maintype, _slash, subtype = kind.strip().partition("/")
    parameters = {}
    for param in params.split(";"):
        key, _eq, value = param.strip().partition("=")
        if key:
            parameters[key.strip().lower()] = value.strip().strip('"')
    if maintype == "text":
        email.add_attachment(
            item.content.decode("utf-8"),
            subtype=subtype,
            filename=item.filename,
            params=parameters,
        )
    else:
        email.add_attachment(
            item.content, maintype=maintype, subtype=subtype, filename=item.filename
        )


def undelivered_ids(*, now: datetime | None = None) -> list[int]:
    """Outbox rows that should have gone out by now: not sent, not being sent, not given up."""
    now = now or utcnow()
    query = (
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            OutboxMessage.created_at > now - GIVE_UP_AFTER,
            OutboxMessage.created_at < now - timedelta(minutes=2),
            sa.or_(
                OutboxMessage.claimed_at.is_(None),
                OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
            ),
        )
        .order_by(OutboxMessage.id)
    )
    with Session(db.engine) as session:
        return list(session.scalars(query))


def deliver_undelivered() -> int:
    """Deliver what a lost job (a restarted Redis, a crashed worker) did not; returns how many
    were sent now."""
    count = 0
    for message_id in undelivered_ids():
        try:
            count += deliver(message_id)
        except Exception:  # counted in attempts; the next sweep tries again
            continue
    return count


@periodic(minute="*/5")
def deliver_pending_mail() -> int:
    return deliver_undelivered()


def purge_old_bodies(now: datetime) -> int:
    """Retention: the subject and body of mail older than ``OUTBOX_RETENTION_DAYS`` (delivered
    or given up by then) are emptied; the row stays as the record that it was sent (its topic
    keeps the periodic jobs from sending it again). Returns how many rows changed."""
    keep = max(timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"]), GIVE_UP_AFTER)
    return db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.created_at < now - keep,
            sa.or_(OutboxMessage.body != "", OutboxMessage.subject != ""),
        )
        .values(body="", subject="")
        .execution_options(synchronize_session=False)
    ).rowcount
