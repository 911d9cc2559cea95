"""Booking decisions are in the audit trail: one entry per decision, with who, the
organisation, the provider and the dates."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db


def test_booking_decisions_are_in_the_audit_trail_once_per_decision(
    client, auth, make_space, make_booking, organisation, ngo_owner, provider_manager, provider
):
    from datetime import time

    from app.spaces.models import BookingStatus
    from tests.spaces.conftest import next_weekday

    space = make_space("Sala audytowa")
    booking = make_booking(
        space, organisation, next_weekday(2), time(17), time(19), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    approved = client.post(f"/przestrzenie/rezerwacje/{booking.series_id}/zatwierdz")
    assert approved.status_code in (200, 303), approved.text[:300]
    [entry] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "booking.approved")
    )
    assert (entry.actor_id, entry.organisation_id, entry.provider_id) == (
        provider_manager.id,
        organisation.id,
        provider.id,
    )
    assert "Sala audytowa" in entry.details
    # The organisation sees it in its history; the provider in its own.
    auth.login(ngo_owner)
    assert (
        "zatwierdzenie rezerwacji"
        in client.get(f"/historia-zmian/organizacja/{organisation.slug}").text
    )
