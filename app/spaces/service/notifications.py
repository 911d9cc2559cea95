"""What the spaces domain tells people: slot and status labels, and the mails about bookings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_datetime, format_time
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.mail import send_mail
from app.organisations.models import Membership
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    ProviderManager,
)
from app.timeutil import to_local


def format_slot(booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    if end.date() > start.date() and end.time() != time(0):
        # A loan over several days: the pick-up and the return.
        return (
            f"{format_datetime(start, 'EEE d.MM.yyyy HH:mm')} – "
            f"{format_datetime(end, 'EEE d.MM.yyyy HH:mm')}"
        )
    return f"{format_datetime(start, 'EEE d.MM.yyyy HH:mm')}–{format_time(end, 'HH:mm')}"


STATUS_LABELS = {
    "pending": _l("oczekuje"),
    "approved": _l("zatwierdzona"),
    "declined": _l("odrzucona"),
    "cancelled": _l("odwołana"),
    "skipped": _l("pominięta"),
    "released": _l("zwolniona"),
    "no_show": _l("niewykorzystana"),
}


def status_label(status) -> str:
    return str(STATUS_LABELS[BookingStatus(status).value])


def organisation_recipients(organisation_id: int):
    from app.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User).join(Membership).where(Membership.organisation_id == organisation_id)
        )
    )


def provider_recipients(provider_id: int):
    from app.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User).join(ProviderManager).where(ProviderManager.provider_id == provider_id)
        )
    )


def _series_url(series: BookingSeries) -> str:
    # Absolute: a mail is read outside the site. Outside a request (the daily job) Flask
    # builds it from SERVER_NAME and PREFERRED_URL_SCHEME.
    return url_for("spaces.series_detail", series_id=series.id, _external=True)


def mail_organisation(series, subject, template, *, topic, **ctx) -> None:
    for user in organisation_recipients(series.organisation_id):
        send_mail(
            user.email,
            subject,
            template,
            locale=user.locale,
            topic=topic,
            series=series,
            url=_series_url(series),
            format_slot=format_slot,
            **ctx,
        )


SUBJECTS = {
    "approved": _l("Rezerwacja zatwierdzona"),
    "declined": _l("Rezerwacja odrzucona"),
    "cancelled": _l("Rezerwacja odwołana"),
    "moved": _l("Termin rezerwacji przeniesiony"),
    "released": _l("Rezerwacja zwolniona"),
    "closure": _l("Zamknięcie w terminie Twojej rezerwacji"),
}


# Mails that put the bookings in the recipient's calendar: the .ics carries the feed's UIDs,
# so a moved occurrence replaces the one added from the approval mail.
CALENDAR_EVENTS = {"approved", "moved"}


def calendar_attachment(bookings: Sequence[Booking]):
    from app.calendars.feeds import booking_event
    from app.calendars.single import ics_attachment

    series = bookings[0].series
    name = f"{series.holder_name}: {series.space.name}"
    filename = f"rezerwacja-{series.id}.ics"
    return ics_attachment(filename, name, [booking_event(b) for b in bookings])


def notify_series(
    bookings: Sequence[Booking], event: str, reason: str, *, to_provider: bool = False
) -> None:
    if not bookings:
        return
    series = bookings[0].series
    if series.organisation_id is None and not to_provider:
        return  # the provider's own use: no organisation to tell
    topic = f"booking-{event}:{series.id}"
    attachments = [calendar_attachment(bookings)] if event in CALENDAR_EVENTS else []
    mail_organisation(
        series,
        SUBJECTS[event],
        "spaces/mail/status.txt",
        topic=topic,
        event=event,
        bookings=bookings,
        reason=reason,
        attachments=attachments,
        with_calendar=bool(attachments),
    )
    if to_provider:
        for user in provider_recipients(series.space.provider_id):
            send_mail(
                user.email,
                SUBJECTS[event],
                "spaces/mail/status.txt",
                locale=user.locale,
                topic=topic,
                series=series,
                url=_series_url(series),
                format_slot=format_slot,
                event=event,
                bookings=bookings,
                reason=reason,
            )


def notify_request(series: BookingSeries, auto: bool, bookings=None) -> None:
    bookings = bookings or series.occurrences
    for user in provider_recipients(series.space.provider_id):
        send_mail(
            user.email,
            _l("Nowy wniosek o rezerwację: %(space)s", space=series.space.name),
            "spaces/mail/request.txt",
            locale=user.locale,
            topic=f"booking-request:{series.id}",
            series=series,
            bookings=bookings,
            auto=auto,
            url=_series_url(series),
            format_slot=format_slot,
        )
    if not auto:
        mail_organisation(
            series,
            _l("Wniosek o rezerwację wysłany"),
            "spaces/mail/sent.txt",
            topic=f"booking-sent:{series.id}",
            bookings=bookings,
        )
