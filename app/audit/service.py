"""Recording and reading the audit trail. ``record`` runs inside the caller's unit of work (a
refused action leaves no entry); the actor is the logged-in user unless one is given."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db
from app.inputs import csv_cell

ACTIONS = {
    "membership.added": _l("dodanie do organizacji"),
    "membership.removed": _l("usunięcie z organizacji"),
    "membership.left": _l("odejście z organizacji"),
    "membership.role": _l("zmiana roli w organizacji"),
    "membership.request_decided": _l("decyzja o prośbie o dołączenie"),
    "membership.invitation_withdrawn": _l("wycofanie zaproszenia"),
    "booking.approved": _l("zatwierdzenie rezerwacji"),
    "booking.declined": _l("odrzucenie rezerwacji"),
    "booking.cancelled": _l("odwołanie rezerwacji"),
    "booking.moved": _l("przeniesienie terminu"),
    "booking.readded": _l("ponowne dodanie terminu"),
    "booking.no_show": _l("nieobecność na rezerwacji"),
    "round.created": _l("utworzenie naboru"),
    "round.opened": _l("otwarcie naboru"),
    "round.edited": _l("zmiana naboru"),
    "round.skipped_banned": _l("pominięcie w naborze organizacji z blokadą"),
    "round.allocating": _l("zamknięcie przyjmowania wniosków w naborze"),
    "round.results_sent": _l("wysłanie wyników naboru"),
    "booking.entered": _l("rezerwacja wpisana przez udostępniającego"),
    "booking.released": _l("zwolnienie terminu przez organizację"),
    "booking.ban": _l("blokada nowych wniosków po nieobecnościach"),
    "booking.ban_lifted": _l("zniesienie blokady nowych wniosków"),
    "moderation.report_closed": _l("rozpatrzenie zgłoszenia treści"),
    "moderation.hidden": _l("ukrycie treści"),
    "moderation.answered": _l("odpowiedź na ukrycie treści"),
    "moderation.restored": _l("przywrócenie treści"),
    "moderation.kept_hidden": _l("utrzymanie ukrycia treści"),
    "organisation.verified": _l("weryfikacja organizacji"),
    "organisation.unverified": _l("cofnięcie weryfikacji"),
    "organisation.verification_refused": _l("odmowa weryfikacji"),
    "vocabulary.changed": _l("zmiana słownika"),
    "provider.manager_added": _l("dodanie osoby zarządzającej"),
    "provider.manager_removed": _l("usunięcie osoby zarządzającej"),
    "account.data_exported": _l("pobranie własnych danych"),
    "volunteering.certificate_issued": _l("wydanie zaświadczenia o wolontariacie"),
    "account.deleted": _l("usunięcie konta"),
}


def _id(thing) -> int | None:
    return getattr(thing, "id", thing)


def record(
    action: str,
    *,
    actor=None,
    subject_user=None,
    organisation=None,
    provider=None,
    details: str = "",
) -> AuditEvent:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=_id(actor),
        subject_user_id=_id(subject_user),
        organisation_id=_id(organisation),
        provider_id=_id(provider),
        details=(details or "")[:300],
    )
    db.session.add(event)
    return event


def forget_actor(user) -> None:
    """On account deletion: the person's own entries stay, marked "osoba usunięta"."""
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.actor_id == user.id)
        .values(actor_id=None, actor_deleted=True)
    )
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.subject_user_id == user.id)
        .values(subject_user_id=None)
    )


@dataclass(frozen=True)
class Filter:
    organisation_id: int | None = None
    provider_id: int | None = None
    person_id: int | None = None  # as the actor or the person concerned


def events(filter: Filter, *, limit: int = 500) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filter.organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == filter.organisation_id)
    if filter.provider_id is not None:
        query = query.where(AuditEvent.provider_id == filter.provider_id)
    if filter.person_id is not None:
        query = query.where(
            sa.or_(
                AuditEvent.actor_id == filter.person_id,
                AuditEvent.subject_user_id == filter.person_id,
            )
        )
    return list(db.session.scalars(query.limit(limit)))


@dataclass
class Names:
    people: dict[int, str]
    organisations: dict[int, str]
    providers: dict[int, str]


def names(events_: list[AuditEvent]) -> Names:
    """Names of the people, organisations and providers the entries mention (a query each)."""
    from app.accounts.models import User
    from app.organisations.models import Organisation
    from app.spaces.models import Provider

    def lookup(model, ids):
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return dict(
            db.session.execute(sa.select(model.id, model.name).where(model.id.in_(ids))).all()
        )

    return Names(
        people=lookup(User, [e.actor_id for e in events_] + [e.subject_user_id for e in events_]),
        organisations=lookup(Organisation, [e.organisation_id for e in events_]),
        providers=lookup(Provider, [e.provider_id for e in events_]),
    )


def actor_label(event: AuditEvent, people: dict[int, str]) -> str:
    if event.actor_id is not None:
        return people.get(event.actor_id, "")
    return str(_l("osoba usunięta")) if event.actor_deleted else str(_l("system"))


def csv_text(events_: list[AuditEvent]) -> str:
    from app.timeutil import to_local

    known = names(events_)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["kiedy", "kto", "co", "kogo dotyczy", "organizacja", "udostępniający", "szczegóły"]
    )
    for event in events_:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    to_local(event.at).strftime("%Y-%m-%d %H:%M"),
                    actor_label(event, known.people),
                    str(ACTIONS.get(event.action, event.action)),
                    known.people.get(event.subject_user_id, ""),
                    known.organisations.get(event.organisation_id, ""),
                    known.providers.get(event.provider_id, ""),
                    event.details,
                )
            ]
        )
    return out.getvalue()
