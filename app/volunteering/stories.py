"""Volunteer stories on the board: opt-in, written by the volunteer about their work with an
organisation that confirmed their hours; published only once that organisation (or city staff)
approves; the volunteer can withdraw it at any time, and an edit sends it back for approval.

Moderation-safe: plain text only (escaped when shown, paragraphs from blank lines), bounded
lengths, nothing public before approval, staff can take any story down, and the author's
display name is what they choose (first name by default), never their e-mail. A published
story has its own page with a "Zgłoś" link into the city's moderation queue
(app.moderation), where staff can hide it (``hidden_at``) like any other content.

Mail: the organisation's members hear of a story waiting for them; the author hears whether it
was published or not (queued with the request's transaction, sent after it commits).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, enum_type, utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Organisation

TITLE_LIMIT = 120
BODY_LIMIT = 3000


class StoryStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class VolunteerStory(Base):
    __tablename__ = "volunteering_stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The author's own text: deleted with their data.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    author_name: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(TITLE_LIMIT))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[StoryStatus] = mapped_column(enum_type(StoryStatus), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None]
    # City staff hid it (app.moderation, e.g. after a "Zgłoś" report): off the board.
    hidden_at: Mapped[datetime | None] = mapped_column(index=True)

    organisation: Mapped[Organisation] = relationship()

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


def story_organisations(user: User) -> list[Organisation]:
    """Where the volunteer may tell a story: organisations that confirmed their hours."""
    from app.volunteering.personal import history
    from app.volunteering.service.reports import certificate_organisations

    return certificate_organisations(history(user), user)


def stories_of(user: User) -> list[VolunteerStory]:
    return list(
        db.session.scalars(
            sa.select(VolunteerStory)
            .where(VolunteerStory.user_id == user.id)
            .order_by(VolunteerStory.submitted_at.desc())
        )
    )


def is_public(story: VolunteerStory) -> bool:
    return story.status == StoryStatus.PUBLISHED and story.hidden_at is None


def published(limit: int | None = None) -> list[VolunteerStory]:
    query = (
        sa.select(VolunteerStory)
        .where(VolunteerStory.status == StoryStatus.PUBLISHED, VolunteerStory.hidden_at.is_(None))
        .order_by(VolunteerStory.published_at.desc(), VolunteerStory.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def queue_of(organisation: Organisation) -> list[VolunteerStory]:
    return list(
        db.session.scalars(
            sa.select(VolunteerStory)
            .where(VolunteerStory.organisation_id == organisation.id)
            .order_by(
                VolunteerStory.status != StoryStatus.PENDING, VolunteerStory.submitted_at.desc()
            )
        )
    )


def _clean(text: str, limit: int) -> str:
    # Plain text: control characters out, at most two line breaks in a row.
    kept = "".join(ch for ch in (text or "") if ch in "\n\t" or ch.isprintable())
    while "\n\n\n" in kept:
        kept = kept.replace("\n\n\n", "\n\n")
    return kept.strip()[:limit]


def submit(
    user: User, organisation: Organisation, *, title: str, body: str, author_name: str, story=None
):
    """Write (or edit) a story; it waits for the organisation's approval either way."""
    if organisation.id not in {o.id for o in story_organisations(user)}:
        raise DomainError(
            _("Historię można opowiedzieć o organizacji, która potwierdziła Twoje godziny."),
            status=422,
            field="organisation",
        )
    title, body = _clean(title, TITLE_LIMIT), _clean(body, BODY_LIMIT)
    if not title or not body:
        raise DomainError(_("Podaj tytuł i treść historii."), status=422, field="body")
    if story is None:
        story = VolunteerStory(user_id=user.id)
        db.session.add(story)
    elif story.user_id != user.id:
        raise DomainError(_("To nie jest Twoja historia."), status=403)
    story.organisation_id = organisation.id
    story.title, story.body = title, body
    story.author_name = _clean(author_name, 60) or user.name.split(" ")[0]
    story.status = StoryStatus.PENDING
    story.submitted_at = utcnow()
    story.published_at = story.decided_at = story.decided_by_id = None
    db.session.flush()
    _mail_organisation(story)
    return story


def withdraw(story: VolunteerStory, user: User) -> None:
    if story.user_id != user.id:
        raise DomainError(_("To nie jest Twoja historia."), status=403)
    if story.status == StoryStatus.WITHDRAWN:
        raise DomainError(_("Ta historia jest już wycofana."))
    story.status = StoryStatus.WITHDRAWN
    story.published_at = None
    db.session.flush()


def decide(story: VolunteerStory, *, publish: bool, actor: User, now=None) -> None:
    """The organisation (or city staff) publishes a waiting story, rejects it, or takes a
    published one down."""
    now = now or utcnow()
    if story.status == StoryStatus.WITHDRAWN:
        raise DomainError(_("Autor wycofał tę historię."))
    if story.user_id == actor.id:
        raise DomainError(_("Własną historię zatwierdza inna osoba z organizacji."), status=403)
    if publish and story.status != StoryStatus.PENDING:
        raise DomainError(_("Ta historia nie czeka na zatwierdzenie."))
    story.status = StoryStatus.PUBLISHED if publish else StoryStatus.REJECTED
    story.published_at = now if publish else None
    story.decided_at, story.decided_by_id = now, actor.id
    db.session.flush()
    _mail_author(story, published_now=publish)


# --- mail ------------------------------------------------------------------------------------


def _mail_organisation(story: VolunteerStory) -> None:
    """Every member of the organisation but the author hears of a story waiting for them."""
    from app.volunteering.service.notifications import organisation_recipients

    author = db.session.get(User, story.user_id)
    link = url_for("volunteering.org_stories", slug=story.organisation.slug, _external=True)
    for recipient, locale in organisation_recipients(story.organisation, applicant=author):
        send_mail(
            recipient,
            _l("Historia wolontariusza czeka na zatwierdzenie: %(title)s", title=story.title),
            "volunteering/mail/story_submitted.txt",
            locale=locale,
            topic=f"story-submitted:{story.id}:{story.submitted_at:%Y%m%d%H%M%S}:{recipient}"[:120],
            story=story,
            link=link,
        )


def _mail_author(story: VolunteerStory, *, published_now: bool) -> None:
    author = db.session.get(User, story.user_id)
    if author is None:
        return
    subject = (
        _l("Twoja historia jest opublikowana: %(title)s", title=story.title)
        if published_now
        else _l("Twoja historia nie jest publikowana: %(title)s", title=story.title)
    )
    send_mail(
        author.email,
        subject,
        "volunteering/mail/story_decided.txt",
        locale=author.locale,
        topic=f"story-decided:{story.id}:{story.status.value}:{story.decided_at:%Y%m%d%H%M%S}"[
            :120
        ],
        story=story,
        published_now=published_now,
        link=url_for("volunteering.story", story_id=story.id, _external=True)
        if published_now
        else url_for("volunteering.my_stories", _external=True),
    )


def export_stories(user: User) -> list[dict]:
    return [
        {
            "organisation": s.organisation.name,
            "title": s.title,
            "body": s.body,
            "status": s.status.value,
        }
        for s in stories_of(user)
    ]


def erase_stories(user: User, now=None) -> None:
    """The author's words go, and with them staff's cases about them (their title is the
    story's)."""
    from app.moderation.models import ContentKind, Hiding

    own = sa.select(VolunteerStory.id).where(VolunteerStory.user_id == user.id)
    db.session.execute(
        sa.delete(Hiding)
        .where(Hiding.kind == ContentKind.STORY, Hiding.content_id.in_(own))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(VolunteerStory).where(VolunteerStory.user_id == user.id))
