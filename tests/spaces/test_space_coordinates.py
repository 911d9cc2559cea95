"""Provider managers and staff enter a space's coordinates (WGS84, around Toruń)."""

from __future__ import annotations

from decimal import Decimal

from app.extensions import db


def form(space, **fields):
    return {"name": space.name, "description": "", "address": "ul. Szeroka 1", **fields}


def test_managers_enter_coordinates_checked_around_torun(
    client, auth, make_space, provider_manager, staff, volunteer
):
    space = make_space("Sala Kominkowa")
    url = f"/przestrzenie/sala/{space.slug}/opis"
    auth.login(provider_manager)
    far = client.post(url, data=form(space, latitude="52.2297", longitude="21.0122"))
    assert far.status_code == 400 and "w Toruniu lub okolicy" in far.text
    assert 'value="52.2297' in far.text  # the values stay in the form
    half = client.post(url, data=form(space, latitude="53.0103"))
    assert half.status_code == 400 and "Podaj obie współrzędne" in half.text
    db.session.refresh(space)
    assert space.latitude is None
    assert (
        client.post(url, data=form(space, latitude="53.0103", longitude="18.6048")).status_code
        == 303
    )
    db.session.refresh(space)
    assert (space.latitude, space.longitude) == (Decimal("53.010300"), Decimal("18.604800"))
    auth.login(staff)
    assert (
        client.post(url, data=form(space, latitude="53.02", longitude="18.61")).status_code == 303
    )
    db.session.refresh(space)
    assert space.latitude == Decimal("53.020000")
    auth.login(volunteer)
    assert (
        client.post(url, data=form(space, latitude="53.05", longitude="18.65")).status_code == 403
    )
    db.session.refresh(space)
    assert space.latitude == Decimal("53.020000")
