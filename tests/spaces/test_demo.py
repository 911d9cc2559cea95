"""The demo data loads on both databases (no double booking in it) and is idempotent."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.demo import load_demo_data
from app.extensions import db
from app.spaces import service
from app.spaces.models import (
    SLOT_HOLDING_STATUSES,
    Booking,
    BookingStatus,
    Provider,
    Space,
    SpaceKind,
)


def counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Provider, Space, Booking)
    )


def test_demo_data_is_idempotent_and_shows_every_kind(app):
    load_demo_data()
    first = counts()
    load_demo_data()
    assert counts() == first
    slugs = set(db.session.scalars(sa.select(Provider.slug)))
    assert {
        "cal-2-pietro",
        "szkola-podstawowa-nr-7",
        "zgm-lokale",
        "torunska-agenda-kulturalna",
    } <= slugs
    districts = set(db.session.scalars(sa.select(Space.district)))
    assert {"rubinkowo", "na-skarpie"} <= districts
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Space.kind == SpaceKind.EQUIPMENT)) >= 5
    )
    statuses = set(db.session.scalars(sa.select(Booking.status)))
    assert {BookingStatus.PENDING, BookingStatus.APPROVED} <= statuses


def test_demo_addresses_are_confirmed_or_say_they_are_not(app):
    """Issue 16's demo: photos (with alt text) on every space; addresses real or marked."""
    from app.spaces.demo_details import UNCONFIRMED
    from app.spaces.details_models import SpacePhoto

    load_demo_data()
    without_photos = db.session.scalars(
        sa.select(Space.slug).where(~sa.exists().where(SpacePhoto.space_id == Space.id))
    ).all()
    assert without_photos == []
    assert "" not in set(db.session.scalars(sa.select(SpacePhoto.alt_text)))
    addresses = dict(db.session.execute(sa.select(Space.slug, Space.address)).all())
    assert "Toruń" not in addresses.values() and "" not in addresses.values()
    for slug, address in addresses.items():
        # A street with its number, or a clear note that the address is unconfirmed.
        assert any(c.isdigit() for c in address.split(",")[0]) or "niepotwierdzony" in address, (
            slug,
            address,
        )
    assert any(a == UNCONFIRMED for a in addresses.values())
    assert sum("numer budynku niepotwierdzony" in a for a in addresses.values()) >= 2


def test_every_page_renders_with_the_demo_data(app, client, auth):
    from app.spaces.models import BookingSeries

    data = load_demo_data()
    users = data["users"]
    for space in db.session.scalars(sa.select(Space)):
        assert client.get(f"/przestrzenie/sala/{space.slug}").status_code == 200
    assert client.get("/przestrzenie/").status_code == 200
    series_ids = list(db.session.scalars(sa.select(BookingSeries.id)))
    for key in (
        "cal_manager",
        "school_manager",
        "city_manager",
        "ngo_owner",
        "ngo_owner2",
        "staff",
    ):
        auth.login(users[key])
        assert client.get("/przestrzenie/moje-rezerwacje").status_code == 200
        assert client.get("/kalendarze/").status_code == 200
        for series_id in series_ids:
            assert client.get(f"/przestrzenie/rezerwacje/{series_id}").status_code in (200, 404)
    for slug in data["providers"]:
        auth.login(users["staff"])
        for page in ("wnioski", "oblozenie", "barter"):
            assert client.get(f"/przestrzenie/udostepniajacy/{slug}/{page}").status_code == 200


def test_demo_bookings_obey_the_demo_closures(app, monkeypatch):
    """Issue 10 item 1: loaded on 1.12.2026, the SP 7 gym series ran into the Christmas break
    (22 and 29.12) and CAL into 6.01 (Trzech Króli), approved or pending."""
    monkeypatch.setattr("app.spaces.demo.local_today", lambda: date(2026, 12, 1))
    load_demo_data()
    held = db.session.scalars(
        sa.select(Booking).where(
            Booking.status.in_([*SLOT_HOLDING_STATUSES, BookingStatus.PENDING])
        )
    ).all()
    assert held
    for booking in held:
        space = booking.space
        problems = service.rule_problems(
            space, booking.starts_at, booking.ends_at, check_notice=False
        )
        assert not problems, (space.slug, booking.starts_at, problems)
    skipped = db.session.scalars(
        sa.select(Booking).where(Booking.status == BookingStatus.SKIPPED)
    ).all()
    assert any("przerwa świąteczna" in b.status_reason for b in skipped)
