"""Running bookings day to day: bookings the provider's staff enter (on behalf of an
organisation, or their own event), reminders 48 h before with one-click "potwierdzam /
zwalniam", a released date offered to those waiting for it, the no-show rule and its bans, and
reminders to providers of requests that wait too long.

Entering a booking goes through ``bookings.create_request`` (the same rules, the same space
lock, the same exclusion constraint and every check added there, such as a seasonal round's
hold), then approves it at once. The periodic jobs (``app/spaces/tasks.py``) run one short
``transaction()`` per item and claim each item with a conditional UPDATE, so a run that
overlaps another, or repeats after a crash, sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    Provider,
    Space,
    SpaceBan,
)
from app.spaces.service.notifications import (
    mail_organisation,
    notify_series,
    provider_recipients,
)
from app.templating import local_datetime
from app.unit_of_work import transaction

# --- entered by the provider's staff ---------------------------------------------------------

ON_BEHALF_CHANNELS = {
    "phone": _l("telefonicznie"),
    "email": _l("e-mailem"),
    "in_person": _l("osobiście"),
}


def on_behalf_label(via: str | None) -> str:
    return str(ON_BEHALF_CHANNELS.get(via or "", via or ""))


def entered_reason(series: BookingSeries) -> str:
    if series.own_use:
        return _("Wydarzenie własne udostępniającego.")
    return _(
        "Wpisane przez udostępniającego w imieniu organizacji (zgłoszenie %(via)s).",
        via=on_behalf_label(series.on_behalf_via),
    )


def enter_booking(space: Space, organisation, staff, request, *, via: str | None = None):
    """A booking the provider's staff enter: for ``organisation`` that asked ``via`` phone,
    e-mail or in person, or (``organisation=None``) a slot for the provider's own event."""
    from app.spaces.service.bookings import create_request

    if organisation is not None and via not in ON_BEHALF_CHANNELS:
        raise DomainError(_("Wybierz, jak organizacja zgłosiła rezerwację."), 422, "via")
    return create_request(
        space,
        organisation,
        staff,
        request,
        on_behalf_via=via if organisation is not None else None,
        own_use=organisation is None,
    )


# --- bans after no-shows ---------------------------------------------------------------------

NO_SHOW_WINDOW = timedelta(days=365)


def active_ban(provider_id: int, organisation_id: int, *, now=None) -> SpaceBan | None:
    now = now or utcnow()
    return db.session.scalar(
        sa.select(SpaceBan)
        .where(
            SpaceBan.provider_id == provider_id,
            SpaceBan.organisation_id == organisation_id,
            SpaceBan.lifted_at.is_(None),
            SpaceBan.starts_at <= now,
            SpaceBan.ends_at > now,
        )
        .order_by(SpaceBan.ends_at.desc())
        .limit(1)
    )


def ensure_not_banned(provider_id: int, organisation_id: int, *, now=None) -> None:
    """Every entry point that creates a request calls this (``create_request``, ``readd``)."""
    ban = active_ban(provider_id, organisation_id, now=now)
    if ban is not None:
        raise DomainError(
            _(
                "%(provider)s nie przyjmuje nowych wniosków tej organizacji do %(day)s: %(reason)s",
                provider=ban.provider.name,
                day=local_datetime(ban.ends_at, "short"),
                reason=ban.reason,
            ),
            status=409,
        )


def provider_bans(provider: Provider, *, now=None) -> list[SpaceBan]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(SpaceBan)
            .where(
                SpaceBan.provider_id == provider.id,
                SpaceBan.lifted_at.is_(None),
                SpaceBan.ends_at > now,
            )
            .order_by(SpaceBan.ends_at)
        )
    )


def lift_ban(ban: SpaceBan, actor) -> None:
    if ban.lifted_at is not None:
        raise DomainError(_("Ta blokada została już zniesiona."), status=409)
    ban.lifted_at = utcnow()
    ban.lifted_by_id = actor.id
    audit.record(
        "booking.ban_lifted",
        actor=actor,
        organisation=ban.organisation_id,
        provider=ban.provider_id,
        details=ban.reason,
    )
    db.session.flush()


def no_shows_counted(provider_id: int, organisation_id: int, *, now=None) -> int:
    """No-shows of the organisation at the provider's spaces in the last year, since its last
    ban began (a ban is not repeated for the no-shows that caused it)."""
    now = now or utcnow()
    since = now - NO_SHOW_WINDOW
    last_ban = db.session.scalar(
        sa.select(sa.func.max(SpaceBan.starts_at)).where(
            SpaceBan.provider_id == provider_id, SpaceBan.organisation_id == organisation_id
        )
    )
    if last_ban is not None:
        since = max(since, last_ban)
    return db.session.scalar(
        sa.select(sa.func.count(Booking.id))
        .join(BookingSeries, Booking.series_id == BookingSeries.id)
        .join(Space, Booking.space_id == Space.id)
        .where(
            Space.provider_id == provider_id,
            BookingSeries.organisation_id == organisation_id,
            Booking.status == BookingStatus.NO_SHOW,
            Booking.starts_at >= since,
        )
    )


def mark_no_show(booking: Booking, actor, reason: str = "") -> Booking:
    from app.spaces.service.bookings import _audit, _locked, set_status

    _space, (booking,) = _locked([booking])
    if not booking.can_mark_no_show():
        raise DomainError(
            _("Nieobecność można zaznaczyć tylko dla minionego, zatwierdzonego terminu.")
        )
    set_status(booking, BookingStatus.NO_SHOW, actor, reason or _("Nie skorzystano z rezerwacji."))
    db.session.flush()
    _audit("booking.no_show", [booking], actor, reason)
    after_no_show(booking, actor)
    return booking


def after_no_show(booking: Booking, actor) -> SpaceBan | None:
    """The organisation is told of the no-show and how many count; the provider's rule
    (``no_show_limit`` within a year → a ban of ``no_show_ban_days``) is applied."""
    series = booking.series
    if series.organisation_id is None:
        return None
    provider = booking.space.provider
    now = utcnow()
    count = no_shows_counted(provider.id, series.organisation_id, now=now)
    ban = None
    limit_reached = bool(provider.no_show_limit) and count >= provider.no_show_limit
    if limit_reached and active_ban(provider.id, series.organisation_id, now=now) is None:
        with force_locale("pl"):  # stored, and shown to both sides
            reason = _("%(num)s nieobecności bez zwolnienia terminu w ciągu roku.", num=count)
        ban = SpaceBan(
            provider_id=provider.id,
            organisation_id=series.organisation_id,
            starts_at=now,
            ends_at=now + timedelta(days=provider.no_show_ban_days),
            reason=reason,
        )
        db.session.add(ban)
        db.session.flush()
        audit.record(
            "booking.ban",
            actor=actor,
            organisation=series.organisation_id,
            provider=provider.id,
            details=reason,
        )
    mail_organisation(
        series,
        _l("Nieobecność na rezerwacji: %(space)s", space=booking.space.name),
        "spaces/mail/no_show.txt",
        topic=f"booking-no-show:{booking.id}",
        booking=booking,
        count=count,
        limit=provider.no_show_limit,
        ban=ban,
    )
    return ban


# --- reminders 48 h before, one-click answers ------------------------------------------------

REMINDER_LEAD = timedelta(hours=48)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="spaces-booking-reminder")


def reminder_token(booking: Booking) -> str:
    return _serializer().dumps(booking.id)


def booking_from_token(token: str) -> Booking | None:
    try:
        booking_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Booking, booking_id) if isinstance(booking_id, int) else None


def due_reminders(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Booking.id)
            .join(BookingSeries, Booking.series_id == BookingSeries.id)
            .where(
                Booking.status == BookingStatus.APPROVED,
                Booking.reminder_sent_at.is_(None),
                Booking.starts_at > now,
                Booking.starts_at <= now + REMINDER_LEAD,
                BookingSeries.organisation_id.is_not(None),
            )
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def send_reminder(booking_id: int, now: datetime) -> bool:
    """Claim the reminder (a conditional UPDATE: only one run sends it), then mail it."""
    claimed = db.session.execute(
        sa.update(Booking)
        .where(
            Booking.id == booking_id,
            Booking.reminder_sent_at.is_(None),
            Booking.status == BookingStatus.APPROVED,
        )
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return False
    booking = db.session.get(Booking, booking_id)
    db.session.refresh(booking)
    mail_organisation(
        booking.series,
        _l("Przypomnienie o rezerwacji: %(space)s", space=booking.space.name),
        "spaces/mail/reminder.txt",
        topic=f"booking-reminder:{booking.id}",
        booking=booking,
        answer_url=url_for("spaces.reminder_answer", token=reminder_token(booking), _external=True),
    )
    return True


def run_booking_reminders(*, now: datetime | None = None) -> int:
    """Hourly: a reminder for every approved booking that begins within 48 hours."""
    now = now or utcnow()
    sent = 0
    for booking_id in due_reminders(now):
        with transaction():
            sent += send_reminder(booking_id, now)
    return sent


def confirm_attendance(booking: Booking, *, now=None) -> None:
    from app.spaces.service.bookings import _locked

    now = now or utcnow()
    _space, (booking,) = _locked([booking])
    if booking.status != BookingStatus.APPROVED or booking.ends_at <= now:
        raise DomainError(_("Tej rezerwacji nie można już potwierdzić."), status=409)
    if booking.attendance_confirmed_at is None:
        booking.attendance_confirmed_at = now
    db.session.flush()


def release_by_organisation(booking: Booking, *, now=None) -> list[Booking]:
    """The organisation gives the date back (the reminder's "zwalniam"): the occurrence is
    released, the provider is told, and the date is offered to those waiting for it
    (``offer_released_slot``). Returns the waiting occurrences that were told."""
    from app.spaces.service.bookings import _audit, _locked, set_status

    now = now or utcnow()
    _space, (booking,) = _locked([booking])
    if booking.status != BookingStatus.APPROVED or booking.starts_at <= now:
        raise DomainError(_("Tego terminu nie można już zwolnić."), status=409)
    with force_locale("pl"):
        reason = _("Organizacja zwolniła termin (odpowiedź na przypomnienie).")
    set_status(booking, BookingStatus.RELEASED, None, reason)
    db.session.flush()
    notify_series([booking], "released", reason, to_provider=True)
    _audit("booking.released", [booking], None, reason)
    return offer_released_slot(booking, now=now)


def waiting_for(booking: Booking, *, now=None) -> list[Booking]:
    """Who waits for a released date: other organisations' pending requests for an
    overlapping time in that space (the provider can now approve them), and their occurrences
    skipped because this date was taken (they can be re-added in one click)."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(BookingSeries, Booking.series_id == BookingSeries.id)
            .where(
                Booking.space_id == booking.space_id,
                Booking.series_id != booking.series_id,
                Booking.status.in_([BookingStatus.PENDING, BookingStatus.SKIPPED]),
                Booking.starts_at < booking.blocked_until,
                Booking.blocked_until > booking.starts_at,
                Booking.starts_at > now,
                BookingSeries.organisation_id.is_not(None),
            )
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def offer_released_slot(booking: Booking, *, now=None) -> list[Booking]:
    waiting = waiting_for(booking, now=now)
    by_series: dict[int, list[Booking]] = defaultdict(list)
    for other in waiting:
        by_series[other.series_id].append(other)
    for group in by_series.values():
        mail_organisation(
            group[0].series,
            _l("Zwolnił się termin: %(space)s", space=booking.space.name),
            "spaces/mail/slot_offer.txt",
            topic=f"booking-offer:{booking.id}:{group[0].series_id}",
            released=booking,
            waiting=group,
        )
    return waiting


# --- providers reminded of requests that wait ------------------------------------------------


def pending_reminder_days(provider: Provider) -> int:
    return provider.pending_reminder_days or current_app.config.get(
        "SPACES_PENDING_REMINDER_DAYS", 3
    )


def run_pending_reminders(*, now: datetime | None = None) -> int:
    """Daily: each provider's managers get one mail listing the requests that have waited
    longer than the provider's setting (each request is reminded once). Returns the number
    of providers told."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(BookingSeries.id, BookingSeries.created_at, Provider.id)
        .join(Space, BookingSeries.space_id == Space.id)
        .join(Provider, Space.provider_id == Provider.id)
        .where(
            BookingSeries.pending_reminded_at.is_(None),
            BookingSeries.occurrences.any(
                sa.and_(Booking.status == BookingStatus.PENDING, Booking.ends_at > now)
            ),
        )
        .order_by(BookingSeries.created_at)
    ).all()
    by_provider: dict[int, list[int]] = defaultdict(list)
    for series_id, created_at, provider_id in rows:
        by_provider[provider_id].append((series_id, created_at))
    told = 0
    for provider_id, items in by_provider.items():
        with transaction():
            provider = db.session.get(Provider, provider_id)
            limit = now - timedelta(days=pending_reminder_days(provider))
            due = [series_id for series_id, created_at in items if created_at <= limit]
            claimed = [
                series_id
                for series_id in due
                if db.session.execute(
                    sa.update(BookingSeries)
                    .where(
                        BookingSeries.id == series_id, BookingSeries.pending_reminded_at.is_(None)
                    )
                    .values(pending_reminded_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount
            ]
            if not claimed:
                continue
            series = list(
                db.session.scalars(
                    sa.select(BookingSeries)
                    .where(BookingSeries.id.in_(claimed))
                    .order_by(BookingSeries.created_at)
                )
            )
            for user in provider_recipients(provider.id):
                send_mail(
                    user.email,
                    _l("Wnioski czekają na decyzję: %(provider)s", provider=provider.name),
                    "spaces/mail/pending_reminder.txt",
                    locale=user.locale,
                    topic=f"booking-pending-reminder:{provider.id}:{now:%Y-%m-%d}",
                    provider=provider,
                    series=series,
                    days=pending_reminder_days(provider),
                    inbox_url=url_for("spaces.inbox", slug=provider.slug, _external=True),
                    series_url=lambda s: url_for(
                        "spaces.series_detail", series_id=s.id, _external=True
                    ),
                )
            told += 1
    return told
