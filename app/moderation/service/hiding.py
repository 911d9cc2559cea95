"""Hiding content: city staff hide an opportunity, an organisation's profile or a space with a
reason; the owner (the organisation's members, the provider's managers) sees it on a banner and
can answer; the answer goes back to the staff queue, where staff restore or keep it hidden.

The content's own ``hidden_at`` is what every public query filters on (lists, search, feeds,
open data, the page itself); ``Hiding`` keeps the case. The owner, and the reporter when a
report led to it, are told every outcome by e-mail; every step is in the audit trail."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.moderation.models import ContentKind, ContentReport, Hiding, HidingStatus
from app.organisations.models import Membership, Organisation
from app.spaces.models import ProviderManager, Space
from app.volunteering.models import Opportunity, Shift
from app.volunteering.stories import VolunteerStory

MODELS = {
    ContentKind.OPPORTUNITY: Opportunity,
    ContentKind.ORGANISATION: Organisation,
    ContentKind.SPACE: Space,
    ContentKind.STORY: VolunteerStory,
}


def kind_of(content) -> ContentKind:
    for kind, model in MODELS.items():
        if isinstance(content, model):
            return kind
    raise TypeError(f"{content!r} cannot be hidden")


def content_of(kind: ContentKind, content_id: int):
    return db.session.get(MODELS[kind], content_id)


def title_of(content) -> str:
    return getattr(content, "title", None) or content.name


def url_of(content, *, external: bool = False) -> str:
    kind = kind_of(content)
    if kind == ContentKind.OPPORTUNITY:
        return url_for("volunteering.opportunity", opportunity_id=content.id, _external=external)
    if kind == ContentKind.ORGANISATION:
        return url_for("organisations.profile", slug=content.slug, _external=external)
    if kind == ContentKind.STORY:
        return url_for("volunteering.story", story_id=content.id, _external=external)
    return url_for("spaces.space_detail", slug=content.slug, _external=external)


def content_at(path: str):
    """The opportunity, profile, space or volunteer story a reported page shows (None for any
    other page)."""
    from flask import current_app
    from werkzeug.exceptions import HTTPException

    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, args = adapter.match(path.split("?")[0].split("#")[0], method="GET")
    except HTTPException:
        return None
    if endpoint == "volunteering.opportunity":
        return db.session.get(Opportunity, args["opportunity_id"])
    if endpoint == "volunteering.story":
        return db.session.get(VolunteerStory, args["story_id"])
    model = {"organisations.profile": Organisation, "spaces.space_detail": Space}.get(endpoint)
    if model is None:
        return None
    return db.session.scalar(sa.select(model).where(model.slug == args["slug"]))


def _audit_context(content) -> dict:
    kind = kind_of(content)
    if kind in (ContentKind.OPPORTUNITY, ContentKind.STORY):
        return {"organisation": content.organisation_id}
    if kind == ContentKind.ORGANISATION:
        return {"organisation": content.id}
    return {"provider": content.provider_id}


def owners(content) -> list:
    """The people who answer for the content: members of its organisation, managers of its
    provider; a volunteer story's author (their own words)."""
    kind = kind_of(content)
    if kind == ContentKind.STORY:
        author = db.session.get(User, content.user_id)
        return [author] if author is not None else []
    if kind == ContentKind.SPACE:
        query = sa.select(ProviderManager).where(ProviderManager.provider_id == content.provider_id)
    else:
        organisation_id = content.organisation_id if kind == ContentKind.OPPORTUNITY else content.id
        query = sa.select(Membership).where(Membership.organisation_id == organisation_id)
    return [role.user for role in db.session.scalars(query)]


def is_owner(user, content) -> bool:
    return bool(user and user.is_authenticated) and any(o.id == user.id for o in owners(content))


def current_hiding(content) -> Hiding | None:
    """The open case of hidden content (None when it is not hidden)."""
    if content is None or content.hidden_at is None:
        return None
    return db.session.scalar(
        sa.select(Hiding)
        .where(
            Hiding.kind == kind_of(content),
            Hiding.content_id == content.id,
            Hiding.status != HidingStatus.RESTORED,
        )
        .order_by(Hiding.id.desc())
        .limit(1)
    )


def hidings_to_decide() -> list[Hiding]:
    """Answered by the owner first (they wait for staff), then every other hidden item."""
    order = sa.case((Hiding.status == HidingStatus.ANSWERED, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(Hiding)
            .where(Hiding.status != HidingStatus.RESTORED)
            .order_by(order, Hiding.answered_at, Hiding.hidden_at, Hiding.id)
        )
    )


def answered_count() -> int:
    query = sa.select(sa.func.count(Hiding.id)).where(Hiding.status == HidingStatus.ANSWERED)
    return db.session.scalar(query) or 0


def _required(text: str, message, field: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, status=422, field=field)
    return text[:limit]


def _tell(hiding: Hiding, content, outcome: str) -> None:
    """Mail the owners (and the reporter of the report that led to it) the outcome."""
    subjects = {
        "hidden": _l("Urząd Miasta ukrył treść: %(title)s", title=hiding.title),
        "restored": _l("Treść znowu widoczna: %(title)s", title=hiding.title),
        "kept": _l("Treść pozostaje ukryta: %(title)s", title=hiding.title),
    }
    stamp = f"{utcnow():%Y%m%d%H%M%S}"
    link = url_of(content, external=True)
    for person in owners(content):
        send_mail(
            person.email,
            subjects[outcome],
            "moderation/mail/hiding.txt",
            locale=person.locale,
            topic=f"hiding:{hiding.id}:{outcome}:{person.id}:{stamp}"[:120],
            hiding=hiding,
            outcome=outcome,
            link=link,
            owner=True,
        )
    report = hiding.report
    # Hiding on a report: the reporter hears it in the report's answer (close_report).
    if outcome != "hidden" and report is not None and report.reporter is not None:
        send_mail(
            report.reporter.email,
            subjects[outcome],
            "moderation/mail/hiding.txt",
            locale=report.reporter.locale,
            topic=f"hiding:{hiding.id}:{outcome}:reporter:{stamp}"[:120],
            hiding=hiding,
            outcome=outcome,
            link=link,
            owner=False,
        )


def _shifts_changed(content) -> None:
    """A hidden offer's shifts are on hold in the volunteers' own calendars (and back when it
    is restored): each is a change their calendar apps must take, so its SEQUENCE goes up."""
    if kind_of(content) != ContentKind.OPPORTUNITY:
        return
    db.session.execute(
        sa.update(Shift)
        .where(Shift.opportunity_id == content.id)
        .values(sequence=Shift.sequence + 1, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def hide(content, reason: str, staff, *, report: ContentReport | None = None) -> Hiding:
    if content.hidden_at is not None:
        raise DomainError(_l("Ta treść jest już ukryta."), status=409)
    reason = _required(reason, _l("Podaj powód: właściciel go zobaczy."), "reason", limit=1000)
    content.hidden_at = utcnow()
    _shifts_changed(content)
    hiding = Hiding(
        kind=kind_of(content),
        content_id=content.id,
        title=title_of(content)[:300],
        reason=reason,
        hidden_by_id=staff.id,
        report=report,
    )
    db.session.add(hiding)
    db.session.flush()
    audit.record(
        "moderation.hidden",
        actor=staff,
        details=f"{hiding.kind_label}: {hiding.title} – {reason}",
        **_audit_context(content),
    )
    _tell(hiding, content, "hidden")
    return hiding


def answer(hiding: Hiding, text: str, user) -> None:
    """The owner answers the reason (corrected it, disagrees): the case goes back to staff."""
    if not hiding.is_open:
        raise DomainError(_l("Ta treść jest już znowu widoczna."), status=409)
    hiding.answer = _required(text, _l("Napisz odpowiedź dla Urzędu."), "answer", limit=5000)
    hiding.answered_at = utcnow()
    hiding.status = HidingStatus.ANSWERED
    content = content_of(hiding.kind, hiding.content_id)
    db.session.flush()
    audit.record(
        "moderation.answered",
        actor=user,
        details=f"{hiding.kind_label}: {hiding.title}",
        **_audit_context(content),
    )


def restore(hiding: Hiding, staff, note: str = "") -> None:
    if not hiding.is_open:
        raise DomainError(_l("Ta treść jest już znowu widoczna."), status=409)
    content = content_of(hiding.kind, hiding.content_id)
    content.hidden_at = None
    _shifts_changed(content)
    hiding.status, hiding.decided_at = HidingStatus.RESTORED, utcnow()
    hiding.decision_note = (note or "").strip()[:1000]
    db.session.flush()
    audit.record(
        "moderation.restored",
        actor=staff,
        details=f"{hiding.kind_label}: {hiding.title}",
        **_audit_context(content),
    )
    _tell(hiding, content, "restored")


def keep_hidden(hiding: Hiding, staff, note: str) -> None:
    """Staff read the owner's answer and keep the content hidden, saying why."""
    if not hiding.is_open:
        raise DomainError(_l("Ta treść jest już znowu widoczna."), status=409)
    content = content_of(hiding.kind, hiding.content_id)
    hiding.decision_note = _required(
        note, _l("Napisz, dlaczego treść pozostaje ukryta."), "note", limit=1000
    )
    hiding.status, hiding.decided_at = HidingStatus.HIDDEN, utcnow()
    db.session.flush()
    audit.record(
        "moderation.kept_hidden",
        actor=staff,
        details=f"{hiding.kind_label}: {hiding.title} – {hiding.decision_note}",
        **_audit_context(content),
    )
    _tell(hiding, content, "kept")
