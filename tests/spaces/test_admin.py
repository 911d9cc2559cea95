"""Providers add and describe their own spaces; city staff create providers and name managers."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from app.extensions import db
from app.spaces import service
from app.spaces.matching import Need, match_venues
from app.spaces.models import Provider, ProviderKind, ProviderManager, Space, SpaceKind
from tests.spaces.conftest import next_weekday
from tests.spaces.forms_in_page import form_fields


def space_form(**overrides):
    form = {
        "name": "Sala gimnastyczna",
        "kind": "room",
        "description": "Duża sala z drabinkami.",
        "address": "ul. Dziewulskiego 41",
        "district": "rubinkowo",
        "capacity": "60",
        "area_m2": "300",
        "floor": "parter",
        "stock": "",
        "equipment": ["sound", "gym"],
        "accessibility": ["step_free"],
        "house_rules": "Obuwie zmienne.",
    }
    form.update(overrides)
    return form


def test_manager_adds_a_room_with_a_slug_from_its_name(client, auth, provider, provider_manager):
    auth.login(provider_manager)
    dashboard = client.get("/przestrzenie/moje-rezerwacje").text
    assert f"/przestrzenie/udostepniajacy/{provider.slug}/przestrzenie" in dashboard
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/przestrzenie")
    assert page.status_code == 200
    assert f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen" in page.text
    assert (
        client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen").status_code
        == 200
    )
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen", data=space_form()
    )
    assert response.status_code == 303
    space = db.session.scalar(sa.select(Space).where(Space.provider_id == provider.id))
    assert response.headers["Location"].endswith(f"/przestrzenie/sala/{space.slug}/zarzadzaj")
    assert space.slug == "sala-gimnastyczna"
    assert (space.kind, space.capacity, space.area_m2, space.floor) == (
        SpaceKind.ROOM,
        60,
        300,
        "parter",
    )
    assert space.district == "rubinkowo" and space.active
    assert space.feature_codes == {"sound", "gym", "step_free"}
    assert client.get(f"/przestrzenie/sala/{space.slug}").status_code == 200
    # The same name elsewhere gets its own slug.
    assert service._unique_slug(Space, "Sala gimnastyczna", "x") == "sala-gimnastyczna-2"


def test_manager_adds_equipment_with_a_stock(client, auth, provider, provider_manager):
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        data=space_form(name="Krzesła składane", kind="equipment", stock="80", capacity="5"),
    )
    assert response.status_code == 303
    space = db.session.scalar(sa.select(Space).where(Space.name == "Krzesła składane"))
    assert (space.kind, space.stock, space.capacity) == (SpaceKind.EQUIPMENT, 80, None)


def test_invalid_space_is_explained_with_the_values_kept(client, auth, provider, provider_manager):
    auth.login(provider_manager)
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen"
    response = client.post(url, data=space_form(name="  ", capacity="-3", address="ul. Własna 1"))
    assert response.status_code == 400
    assert "Podaj nazwę." in response.text
    assert "ul. Własna 1" in response.text
    equipment = client.hx_post(url, data=space_form(kind="equipment", stock=""))
    assert equipment.status_code == 422
    assert "Podaj liczbę sztuk sprzętu." in equipment.text
    assert "<html" not in equipment.text
    assert db.session.scalar(sa.select(sa.func.count(Space.id))) == 0


def test_duplicate_name_is_a_clear_message(client, auth, make_space, provider_manager):
    make_space("Sala gimnastyczna")
    auth.login(provider_manager)
    provider = db.session.scalar(sa.select(Provider))
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        data=space_form(name="sala gimnastyczna"),
    )
    assert response.status_code == 400
    assert "Ten udostępniający ma już przestrzeń o tej nazwie." in response.text


def test_manager_edits_the_description(client, auth, make_space, provider_manager):
    space = make_space("Sala 12", features=["wifi"])
    auth.login(provider_manager)
    assert client.get(f"/przestrzenie/sala/{space.slug}/opis").status_code == 200
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/opis",
        data=space_form(name="Sala 12 (pracownia)", kind="equipment", equipment=["projector"]),
    )
    assert response.status_code == 303
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert space.name == "Sala 12 (pracownia)"
    assert space.kind == SpaceKind.ROOM  # the kind stays
    assert space.slug.startswith("sala-")  # links keep working
    assert space.feature_codes == {"projector", "step_free"}
    assert space.capacity == 60


def test_deactivated_space_leaves_catalogue_and_matching_but_keeps_history(
    client, auth, make_space, provider_manager
):
    space = make_space("Sala do ukrycia")
    auth.login(provider_manager)
    day = next_weekday(2)
    need = Need(day=day, start=time(10), end=time(11), people=5)
    assert space.id in {m.space.id for m in match_venues(need).matches}
    response = client.post(f"/przestrzenie/sala/{space.slug}/aktywnosc", data={"active": "0"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Space, space.id).active is False
    assert "Sala do ukrycia" not in client.get("/przestrzenie/").text
    assert client.get(f"/przestrzenie/sala/{space.slug}").status_code == 404
    assert space.id not in {m.space.id for m in match_venues(need).matches}
    listing = client.get(f"/przestrzenie/udostepniajacy/{space.provider.slug}/przestrzenie")
    assert "Sala do ukrycia" in listing.text
    client.post(f"/przestrzenie/sala/{space.slug}/aktywnosc", data={"active": "1"})
    db.session.expire_all()
    assert db.session.get(Space, space.id).active is True


def test_manager_of_another_provider_cannot_add_or_edit(
    client, auth, make_space, make_provider, make_user
):
    space = make_space()
    other = make_user("inny@example.org")
    other_provider = make_provider(managers=[other])
    auth.login(other)
    provider = space.provider
    assert (
        client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/przestrzenie").status_code == 403
    )
    assert (
        client.post(
            f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen", data=space_form()
        ).status_code
        == 403
    )
    assert (
        client.post(f"/przestrzenie/sala/{space.slug}/opis", data=space_form()).status_code == 403
    )
    assert (
        client.post(f"/przestrzenie/sala/{space.slug}/aktywnosc", data={"active": "0"}).status_code
        == 403
    )
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert space.active and space.name != "Sala gimnastyczna"
    assert db.session.scalar(sa.select(sa.func.count(Space.id))) == 1
    # Their own provider is fine.
    assert (
        client.get(
            f"/przestrzenie/udostepniajacy/{other_provider.slug}/nowa-przestrzen"
        ).status_code
        == 200
    )


def test_staff_create_a_provider_and_assign_managers(
    client, auth, staff, make_user, make_organisation
):
    school_head = make_user("dyrektorka@sp7.torun.pl")
    organisation = make_organisation("Fundacja Dom")
    auth.login(staff)
    assert (
        client.get("/przestrzenie/moje-rezerwacje").text.count("/przestrzenie/udostepniajacy/") >= 1
    )
    assert client.get("/przestrzenie/udostepniajacy/").status_code == 200
    assert client.get("/przestrzenie/udostepniajacy/nowy").status_code == 200
    response = client.post(
        "/przestrzenie/udostepniajacy/nowy",
        data={"name": "Fundacja Dom – świetlica", "kind": "ngo", "organisation": organisation.id},
    )
    assert response.status_code == 303
    provider = db.session.scalar(sa.select(Provider))
    assert (provider.slug, provider.kind, provider.organisation_id) == (
        "fundacja-dom-swietlica",
        ProviderKind.NGO,
        organisation.id,
    )
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy"
    assert response.headers["Location"].endswith(url)
    missing = client.post(url, data={"email": "nikt@example.org"})
    assert missing.status_code == 400
    assert "Nie ma konta z tym adresem e-mail." in missing.text
    assert "nikt@example.org" in missing.text
    assert client.post(url, data={"email": "Dyrektorka@SP7.torun.pl "}).status_code == 303
    again = client.hx_post(url, data={"email": "dyrektorka@sp7.torun.pl"})
    assert again.status_code == 422
    assert "Ta osoba już zarządza tym udostępniającym." in again.text
    managers = db.session.scalars(sa.select(ProviderManager.user_id)).all()
    assert managers == [school_head.id]
    # The new manager can now add spaces.
    auth.login(school_head)
    assert (
        client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen").status_code
        == 200
    )
    auth.login(staff)
    assert client.post(f"{url}/{school_head.id}/usun").status_code == 303
    assert client.post(f"{url}/{school_head.id}/usun").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ProviderManager.id))) == 0


def test_duplicate_or_empty_provider_is_a_clear_message(client, auth, staff, make_provider):
    make_provider("Szkoła Podstawowa nr 7")
    auth.login(staff)
    duplicate = client.post(
        "/przestrzenie/udostepniajacy/nowy",
        data={"name": "szkoła podstawowa nr 7", "kind": "school", "organisation": "0"},
    )
    assert duplicate.status_code == 400
    assert "Udostępniający o tej nazwie już istnieje." in duplicate.text
    empty = client.hx_post("/przestrzenie/udostepniajacy/nowy", data={"name": "", "kind": "x"})
    assert empty.status_code == 422
    assert "Podaj nazwę." in empty.text
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 1


def test_non_staff_cannot_create_providers_or_managers(
    client, auth, provider, provider_manager, volunteer
):
    for user in (volunteer, provider_manager):
        auth.login(user)
        assert client.get("/przestrzenie/udostepniajacy/").status_code == 403
        assert (
            client.post(
                "/przestrzenie/udostepniajacy/nowy", data={"name": "Moja szkoła", "kind": "school"}
            ).status_code
            == 403
        )
        url = f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy"
        assert client.post(url, data={"email": volunteer.email}).status_code == 403
        assert client.post(f"{url}/{provider_manager.id}/usun").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(ProviderManager.id))) == 1


def test_anonymous_is_sent_to_login(client, provider):
    response = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen")
    assert response.status_code in {302, 303}
    assert client.get("/przestrzenie/udostepniajacy/nowy").status_code in {302, 303}


def test_a_new_space_is_found_by_the_search_box_and_a_hidden_one_is_not(
    client, auth, provider, provider_manager
):
    auth.login(provider_manager)
    client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        data=space_form(name="Sala gimnastyczna z drabinkami"),
    )
    # Without Polish letters and inflected, as a person types it.
    assert "Sala gimnastyczna z drabinkami" in client.get("/szukaj/?q=gimnastycznej sali").text
    space = db.session.scalar(sa.select(Space).where(Space.provider_id == provider.id))
    service.set_space_active(space, False)
    db.session.commit()
    assert "Sala gimnastyczna z drabinkami" not in client.get("/szukaj/?q=gimnastycznej sali").text


def test_manager_saves_the_description_posting_what_the_edit_page_holds(
    client, auth, make_space, provider_manager
):
    """Issue 10 item 7: the edit page shows the kind as text; the browser never posts it."""
    space = make_space("Sala 14")
    auth.login(provider_manager)
    url = f"/przestrzenie/sala/{space.slug}/opis"
    fields = form_fields(client.get(url).text, url)
    assert "kind" not in fields
    fields["description"] = ["Sala z pianinem i lustrami."]
    response = client.post(url, data=fields)
    assert response.status_code == 303, response.text
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert space.description == "Sala z pianinem i lustrami."
    assert space.kind == SpaceKind.ROOM
    assert "Zapisano opis przestrzeni." in client.get(response.headers["Location"]).text
