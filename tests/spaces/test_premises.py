"""Issue 16 item 9 (seed item 57): an organisation publishes its own rooms or equipment to other
organisations under the same rules; its members manage them like any provider; members of
another organisation cannot."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.spaces.models import (
    Booking,
    BookingStatus,
    Provider,
    ProviderKind,
    ProviderManager,
    Space,
)
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday

URL = "/przestrzenie/organizacja/{slug}/udostepnianie"


@pytest.fixture
def editor(make_user):
    return make_user("redaktor@example.org", name="Piotr Redaktor")


@pytest.fixture
def sharing(make_organisation, ngo_owner, editor):
    return make_organisation("Stowarzyszenie Klub Sąsiedzki", owner=ngo_owner, editors=[editor])


def _publish(client, auth, user, organisation, **data):
    auth.login(user)
    form = {"name": organisation.name, "description": "Świetlica", "contact_email": ""}
    return client.post(URL.format(slug=organisation.slug), data={**form, **data})


def _provider(organisation):
    db.session.commit()  # end the test's read snapshot
    return db.session.scalar(sa.select(Provider).where(Provider.organisation_id == organisation.id))


def test_a_member_publishes_the_organisations_premises(client, auth, ngo_owner, sharing):
    auth.login(ngo_owner)
    page = client.get("/przestrzenie/moje-rezerwacje")
    assert URL.format(slug=sharing.slug) in page.text
    assert "Udostępnij przestrzenie" in client.get(URL.format(slug=sharing.slug)).text
    response = _publish(client, auth, ngo_owner, sharing, contact_email="sala@klub.example.org")
    assert response.status_code == 303
    provider = _provider(sharing)
    assert response.headers["Location"].endswith(f"/udostepniajacy/{provider.slug}/przestrzenie")
    assert (provider.kind, provider.name) == (ProviderKind.NGO, sharing.name)
    assert provider.contact_email == "sala@klub.example.org"
    assert [m.user_id for m in provider.managers] == [ngo_owner.id]
    # Once: the page now leads to the provider, and a second post makes no second provider.
    again = client.get(URL.format(slug=sharing.slug))
    assert again.status_code == 303
    _publish(client, auth, ngo_owner, sharing)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 1


def test_bad_input_is_shown_on_the_form(client, auth, ngo_owner, sharing, make_provider):
    response = _publish(client, auth, ngo_owner, sharing, contact_email="nie-adres")
    assert response.status_code == 400
    assert "To nie wygląda na poprawny adres e-mail." in response.text
    assert 'value="nie-adres"' in response.text
    # htmx: the form fragment with 422; a name another provider has is refused on the field.
    make_provider("Szkoła Podstawowa nr 1")
    response = client.post(
        URL.format(slug=sharing.slug),
        data={"name": "szkoła podstawowa  nr 1", "description": "", "contact_email": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "<body" not in response.text
    assert "Udostępniający o tej nazwie już istnieje." in response.text
    assert _provider(sharing) is None


def test_members_manage_spaces_and_decide_requests_like_any_provider(
    client, auth, ngo_owner, editor, sharing, make_booking, other_organisation
):
    _publish(client, auth, ngo_owner, sharing)
    provider = _provider(sharing)
    # The editor was not named a manager: membership is enough.
    auth.login(editor)
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        data={"name": "Świetlica klubu", "kind": "room", "capacity": "25", "district": "rubinkowo"},
    )
    assert response.status_code == 303, response.text
    db.session.commit()
    space = db.session.scalar(sa.select(Space).where(Space.provider_id == provider.id))
    assert client.get(f"/przestrzenie/sala/{space.slug}/zarzadzaj").status_code == 200
    assert client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski").status_code == 200
    # Its offer is in the catalogue with the organisation named.
    catalogue = client.get("/przestrzenie/")
    assert "Świetlica klubu" in catalogue.text and "organizacja pozarządowa" in catalogue.text
    page = client.get(f"/przestrzenie/sala/{space.slug}")
    assert "Udostępnia organizacja pozarządowa:" in page.text and sharing.name in page.text
    # Another NGO's request is decided by a member.
    pending = make_booking(
        space, other_organisation, next_weekday(2), time(17), time(19), status=BookingStatus.PENDING
    )
    response = client.post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz")
    assert response.status_code == 303
    db.session.commit()
    assert db.session.get(Booking, pending.id).status == BookingStatus.APPROVED
    # The private calendar of the provider is offered to the member.
    assert provider.name in client.get("/kalendarze/").text


def test_members_of_another_organisation_cannot_manage_it(
    client, auth, ngo_owner, sharing, make_organisation, make_user, make_booking
):
    _publish(client, auth, ngo_owner, sharing)
    provider = _provider(sharing)
    stranger = make_user("obcy@example.org", name="Członek Innej")
    other = make_organisation("Fundacja Obca", owner=stranger)
    space = Space(provider=provider, name="Sala klubu", slug="sala-klubu", capacity=20)
    db.session.add(space)
    db.session.commit()
    pending = make_booking(space, other, next_weekday(3), status=BookingStatus.PENDING)
    auth.login(stranger)
    for url in (
        URL.format(slug=sharing.slug),
        f"/przestrzenie/udostepniajacy/{provider.slug}/przestrzenie",
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski",
        f"/przestrzenie/sala/{space.slug}/zarzadzaj",
        f"/przestrzenie/sala/{space.slug}/sala-laczona",
    ):
        assert client.get(url).status_code == 403, url
    assert _publish(client, auth, stranger, sharing).status_code == 403
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nowa-przestrzen",
        data={"name": "Przejęta sala", "kind": "room", "capacity": "5"},
    )
    assert response.status_code == 403
    # The requesting organisation may not approve its own request at another NGO's premises.
    assert client.post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz").status_code in (
        403,
        404,
    )
    db.session.commit()
    assert db.session.get(Booking, pending.id).status == BookingStatus.PENDING
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 1
    # Its own organisation cannot be published by a stranger either.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProviderManager)) == 1


@pytest.mark.race
def test_two_members_publishing_at_once_make_one_provider(
    app, ngo_owner, editor, sharing, live_server
):
    browsers = [Browser(app, user, base_url=live_server.url) for user in (ngo_owner, editor)]
    url = URL.format(slug=sharing.slug)
    form = {"name": sharing.name, "description": "", "contact_email": ""}
    results = race([lambda b=b: b.post(url, form).status for b in browsers])
    assert results == [303, 303], results
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 1
