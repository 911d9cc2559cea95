"""The no-show rule around Warsaw midnight, and names unique case-insensitively (the database
decides)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.domain import DomainError
from app.extensions import db
from app.spaces import service
from app.spaces.models import (
    Booking,
    BookingStatus,
    Provider,
    ProviderKind,
    Space,
)
from app.timeutil import local_to_utc, local_today


def test_no_show_is_offered_only_once_the_booking_began_around_warsaw_midnight(
    client, auth, make_space, make_booking, organisation, provider_manager
):
    """A booking at 00:30 Warsaw time starts at 22:30 or 23:30 UTC the day before. At 23:45 that
    day the old template compared the UTC date with Warsaw's 'today' and offered 'Nie
    skorzystano' for a booking that had not begun (and the service then refused it)."""
    room = make_space(hours=None)
    day = local_today() + timedelta(days=3)
    booking = make_booking(room, organisation, day, time(0, 30), time(1, 30))
    auth.login(provider_manager)
    url = f"/przestrzenie/rezerwacje/{booking.series_id}"
    with freeze_time(local_to_utc(day - timedelta(days=1), time(23, 45))):
        assert booking.starts_at.date() < day  # the UTC date is the day before
        assert "Nie skorzystano" not in client.get(url).text
        refused = client.post(f"/przestrzenie/terminy/{booking.id}/nieobecnosc")
        assert refused.status_code == 409
    with freeze_time(local_to_utc(day, time(0, 45))):  # begun
        assert "Nie skorzystano" in client.get(url).text
        assert client.post(f"/przestrzenie/terminy/{booking.id}/nieobecnosc").status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.NO_SHOW


def test_names_are_unique_whatever_their_case_even_beyond_ascii(provider):
    service.create_space(provider, service.SpaceDescription(name="Łąkowa sala", kind="room"))
    with pytest.raises(DomainError) as refused:
        service.create_space(
            provider, service.SpaceDescription(name="  łąkowa  SALA ", kind="room")
        )
    assert (str(refused.value), refused.value.field) == (
        "Ten udostępniający ma już przestrzeń o tej nazwie.",
        "name",
    )
    # The session is still usable: the refusal rolled back only its own savepoint.
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 1
    with pytest.raises(DomainError) as refused:
        service.create_provider("SZKOŁA PODSTAWOWA NR 7", ProviderKind.SCHOOL)
    assert str(refused.value) == "Udostępniający o tej nazwie już istnieje."
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 1


def test_the_database_refuses_a_duplicate_name_written_past_the_service(provider):
    """No check-then-insert: even a write that skips the service meets the constraint."""
    db.session.add(Space(provider=provider, name="Aula", slug="aula-1"))
    db.session.commit()
    db.session.add(Space(provider=provider, name="AULA", slug="aula-2"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
