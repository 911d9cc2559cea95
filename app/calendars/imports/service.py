"""Adding, previewing, synchronising and removing a provider's calendar sources.

A synchronisation is two steps: ``download`` (network and parsing, no database) and
``apply_outcome`` (status, and on success the busy intervals replaced in one flush). Jobs and
the command run the download outside any transaction, so a slow server never holds SQLite's
write lock; ``sync_source`` opens the short writing transaction afterwards.

Blocking: an imported interval [start, end) blocks a slot whose blocked range (the slot plus
the space's buffer, as for bookings) overlaps it; see ``app.spaces.service.availability``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.calendars.imports.fetch import FetchError, Limits, fetch
from app.calendars.imports.guard import Allowlist, GuardError, check_url, normalise_url
from app.calendars.imports.models import CalendarSource, ImportedBusy
from app.calendars.imports.parse import Busy, ParseError, parse_busy, window
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.spaces.models import Booking, BookingStatus, Provider, Space
from app.unit_of_work import transaction

FAILURE_MAIL_AFTER = 3  # failures in a row before the managers are told
PREVIEW_DAYS = 30
MAX_BACKOFF = timedelta(hours=24)

ERRORS = {
    "bad_url": _l("To nie jest poprawny adres URL."),
    "bad_scheme": _l("Adres musi zaczynać się od https://, http:// albo webcal://."),
    "dns": _l("Nie znaleziono serwera o tej nazwie."),
    "forbidden_address": _l(
        "Ten adres prowadzi do sieci wewnętrznej; można importować tylko z publicznych adresów."
    ),
    "insecure_redirect": _l("Serwer przekierował z https na niezabezpieczone http."),
    "too_many_redirects": _l("Za dużo przekierowań."),
    "timeout": _l("Serwer nie odpowiedział na czas."),
    "connection": _l("Nie udało się połączyć z serwerem."),
    "tls": _l("Błąd certyfikatu lub szyfrowania połączenia."),
    "too_large": _l("Plik kalendarza jest za duży."),
    "http_status": _l("Serwer odpowiedział błędem."),
    "invalid_file": _l("To nie jest poprawny plik kalendarza (iCalendar)."),
    "too_many_events": _l("Kalendarz ma za dużo terminów w najbliższych 13 miesiącach."),
}


def error_message(code: str | None, status: int | None = None) -> str:
    if code is None:
        return ""
    message = str(ERRORS.get(code, ERRORS["connection"]))
    return f"{message} (HTTP {status})" if code == "http_status" and status else message


# --- settings ----------------------------------------------------------------------------------


def _allowlist() -> Allowlist:
    return Allowlist.parse(current_app.config.get("CALENDAR_IMPORT_ALLOWLIST", ""))


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        max_bytes=config["CALENDAR_IMPORT_MAX_BYTES"],
        connect_timeout=config["CALENDAR_IMPORT_CONNECT_TIMEOUT"],
        read_timeout=config["CALENDAR_IMPORT_READ_TIMEOUT"],
    )


def _refresh() -> timedelta:
    return timedelta(minutes=current_app.config["CALENDAR_IMPORT_REFRESH_MINUTES"])


# --- download ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one download gave: busy intervals (None after a 304), or an error class."""

    status: int | None = None
    busy: list[Busy] | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: int | None = None
    moved_to: str | None = None  # a permanent redirect's target

    @property
    def ok(self) -> bool:
        return self.error is None

    def within(self, days: int, now: datetime | None = None) -> int:
        now = now or utcnow()
        until = now + timedelta(days=days)
        return sum(1 for b in self.busy or [] if b.starts_at < until and b.ends_at > now)


def download(
    url: str,
    *,
    transparent_is_busy: bool,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Outcome:
    """Fetch and parse, touching no database."""
    try:
        fetched = fetch(url, _allowlist(), _limits(), etag=etag, last_modified=last_modified)
    except FetchError as error:
        return Outcome(status=error.status, error=error.code, retry_after=error.retry_after)
    moved_to = fetched.url if fetched.moved_permanently else None
    if fetched.status == 304:
        return Outcome(status=304, etag=etag, last_modified=last_modified, moved_to=moved_to)
    first, last = window()
    try:
        busy = parse_busy(
            fetched.body or b"",
            transparent_is_busy=transparent_is_busy,
            first=first,
            last=last,
            max_occurrences=current_app.config["CALENDAR_IMPORT_MAX_OCCURRENCES"],
        )
    except ParseError as error:
        return Outcome(status=fetched.status, error=error.code)
    return Outcome(200, busy, None, fetched.etag, fetched.last_modified, moved_to=moved_to)


def checked_url(url: str) -> str:
    """The URL as it will be fetched, refused (422 on the field) if it is not http(s) to a
    public address."""
    url = normalise_url(url)
    try:
        check_url(url, _allowlist())
    except GuardError as error:
        raise DomainError(error_message(error.code), status=422, field="url") from error
    return url


def preview(url: str, *, transparent_is_busy: bool) -> Outcome:
    """Download without saving; a failure is a 422 on the URL field."""
    outcome = download(checked_url(url), transparent_is_busy=transparent_is_busy)
    if not outcome.ok:
        raise DomainError(error_message(outcome.error, outcome.status), status=422, field="url")
    return outcome


# --- sources -----------------------------------------------------------------------------------


def sources_of(provider: Provider) -> list[CalendarSource]:
    return list(
        db.session.scalars(
            sa.select(CalendarSource)
            .where(CalendarSource.provider_id == provider.id)
            .order_by(CalendarSource.created_at, CalendarSource.id)
        )
    )


def add_source(
    provider: Provider,
    *,
    url: str,
    space: Space | None,
    transparent_is_busy: bool,
    user,
    now: datetime | None = None,
) -> tuple[CalendarSource, Outcome]:
    """Register a source after a successful download (a link that does not work is refused
    with the reason, nothing is saved) and store its busy times at once."""
    if space is not None and space.provider_id != provider.id:
        raise DomainError(str(_l("Nie ma takiej przestrzeni.")), status=422, field="space")
    duplicate = db.session.scalar(
        sa.select(CalendarSource.id).where(
            CalendarSource.provider_id == provider.id,
            CalendarSource.space_id.is_(None)
            if space is None
            else CalendarSource.space_id == space.id,
            CalendarSource.url == checked_url(url),
        )
    )
    if duplicate is not None:
        raise DomainError(
            str(_l("Ten kalendarz jest już podłączony do tych przestrzeni.")),
            status=409,
            field="url",
        )
    outcome = preview(url, transparent_is_busy=transparent_is_busy)
    source = CalendarSource(
        provider=provider,
        space=space,
        url=checked_url(url),
        transparent_is_busy=transparent_is_busy,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(source)
    db.session.flush()
    apply_outcome(source, outcome, now=now)
    return source, outcome


def remove_source(source: CalendarSource) -> None:
    db.session.delete(source)
    db.session.flush()


def affected_spaces(source: CalendarSource) -> list[Space]:
    if source.space_id is not None:
        return [source.space]
    return list(source.provider.spaces)


def apply_outcome(source: CalendarSource, outcome: Outcome, *, now: datetime | None = None):
    """Record the attempt; on success replace the busy intervals (in the caller's transaction:
    all of them or none), on failure keep the last good ones and back off."""
    from app.spaces.service import lock_space

    now = now or utcnow()
    source.last_attempt_at = now
    source.last_http_status = outcome.status
    if not outcome.ok:
        source.last_error = outcome.error
        source.failures += 1
        delay = min(MAX_BACKOFF, timedelta(minutes=15) * 2 ** (source.failures - 1))
        if outcome.retry_after:
            delay = min(MAX_BACKOFF, max(delay, timedelta(seconds=outcome.retry_after)))
        source.next_attempt_at = now + delay
        if source.failures == FAILURE_MAIL_AFTER:
            _mail_managers(source, "failing")
        db.session.flush()
        return
    if outcome.busy is not None:
        # Serialise with decisions on these spaces, so a booking approved meanwhile is
        # either seen as a collision here or refused by the approval (it sees these rows).
        for space in sorted(affected_spaces(source), key=lambda s: s.id):
            lock_space(space.id)
        before = {b.id for b in collisions(source, now=now)}
        db.session.execute(sa.delete(ImportedBusy).where(ImportedBusy.source_id == source.id))
        if outcome.busy:
            db.session.execute(
                sa.insert(ImportedBusy),
                [
                    {
                        "source_id": source.id,
                        "uid": b.uid,
                        "recurrence_id": b.recurrence_id,
                        "starts_at": b.starts_at,
                        "ends_at": b.ends_at,
                    }
                    for b in outcome.busy
                ],
            )
        source.events_found = len(outcome.busy)
        source.etag, source.last_modified = outcome.etag, outcome.last_modified
        new = [b for b in collisions(source, now=now) if b.id not in before]
        if new:
            _mail_managers(source, "collisions", bookings=new)
    if outcome.moved_to:
        source.url = outcome.moved_to  # checked by the guard on the way, as every hop
    source.last_success_at = now
    source.last_error = None
    source.failures = 0
    source.next_attempt_at = now + _refresh()
    db.session.flush()


def collisions(source: CalendarSource, *, now: datetime | None = None) -> list[Booking]:
    """Confirmed future bookings that this source's busy times now overlap: the provider
    moves or cancels them (nothing is dropped silently)."""
    now = now or utcnow()
    spaces = affected_spaces(source)
    if not spaces:
        return []
    overlap = (
        sa.select(ImportedBusy.id)
        .where(
            ImportedBusy.source_id == source.id,
            ImportedBusy.starts_at < Booking.blocked_until,
            ImportedBusy.ends_at > Booking.starts_at,
        )
        .exists()
    )
    return list(
        db.session.scalars(
            sa.select(Booking)
            .where(
                Booking.space_id.in_([s.id for s in spaces]),
                Booking.status == BookingStatus.APPROVED,
                Booking.ends_at > now,
                overlap,
            )
            .order_by(Booking.starts_at)
        )
    )


@dataclass
class SyncReport:
    source_id: int
    outcome: Outcome
    busy_in_30_days: int = 0
    notes: list[str] = field(default_factory=list)


def sync_source(source_id: int, *, now: datetime | None = None) -> SyncReport | None:
    """Download outside any transaction, then record it in a short one (jobs, the command)."""
    source = db.session.get(CalendarSource, source_id)
    if source is None:
        return None
    url, transparent = source.url, source.transparent_is_busy
    etag, last_modified = source.etag, source.last_modified
    db.session.rollback()  # end the read transaction before the network
    outcome = download(url, transparent_is_busy=transparent, etag=etag, last_modified=last_modified)
    with transaction():
        source = db.session.get(CalendarSource, source_id)
        if source is None:  # removed meanwhile
            return None
        apply_outcome(source, outcome, now=now)
    return SyncReport(source_id, outcome, outcome.within(PREVIEW_DAYS, now))


def due_source_ids(now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(CalendarSource.id)
            .where(
                sa.or_(
                    CalendarSource.next_attempt_at.is_(None),
                    CalendarSource.next_attempt_at <= now,
                )
            )
            .order_by(CalendarSource.id)
        )
    )


# --- mail --------------------------------------------------------------------------------------


def _mail_managers(source: CalendarSource, event: str, *, bookings: Sequence[Booking] = ()):
    from app.spaces.service.notifications import format_slot, provider_recipients

    provider = source.provider
    if event == "failing":
        subject = _l("Import kalendarza nie działa: %(provider)s", provider=provider.name)
    else:
        subject = _l(
            "Kalendarz szkoły koliduje z potwierdzonymi rezerwacjami: %(provider)s",
            provider=provider.name,
        )
    page = url_for("calendar_imports.sources", slug=provider.slug, _external=True)
    for user in provider_recipients(provider.id):
        send_mail(
            user.email,
            subject,
            f"calendars/imports/mail/{event}.txt",
            locale=user.locale,
            topic=f"calendar-import-{event}:{source.id}",
            source=source,
            error=error_message(source.last_error, source.last_http_status),
            bookings=bookings,
            format_slot=format_slot,
            series_url=lambda b: url_for(
                "spaces.series_detail", series_id=b.series_id, _external=True
            ),
            page=page,
        )
