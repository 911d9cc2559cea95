"""Districts are data: their English and Ukrainian names, and which of them border each other
(venue matching suggests rooms next door), managed by city staff at /urzad/slowniki."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.spaces.matching import Need, match_venues
from app.spaces.models import Space
from app.vocabularies.models import Term
from tests.helpers import SECRET_KEY
from tests.spaces.conftest import next_weekday


def district(code: str) -> Term:
    return db.session.scalar(
        sa.select(Term).where(Term.vocabulary == "district", Term.code == code)
    )


def nearby(need: Need) -> list[str]:
    from app.vocabularies import forget

    forget()  # the test's app context cached the vocabularies before the requests changed them
    return [
        m.space.name for m in match_venues(need).alternatives if m.note == "sąsiednia dzielnica"
    ]


def test_every_seeded_district_has_english_and_ukrainian_names(app):
    districts = db.session.scalars(sa.select(Term).where(Term.vocabulary == "district")).all()
    assert len(districts) == 21
    assert all(t.name_en and t.name_uk for t in districts)
    assert district("bydgoskie-przedmiescie").name_en == "Bydgoskie Przedmieście"
    assert district("bydgoskie-przedmiescie").name_uk == "Бидгоське Передмістя"
    assert district("stare-miasto").name_uk == "Старе Місто"
    # Cyrillic only in the Ukrainian names (a transliteration, not the Polish spelling).
    assert all(not any("a" <= c.lower() <= "z" for c in t.name_uk) for t in districts)
    for vocabulary in ("equipment", "accessibility"):
        terms = db.session.scalars(sa.select(Term).where(Term.vocabulary == vocabulary)).all()
        assert terms and all(t.name_en and t.name_uk for t in terms)


def test_english_and_ukrainian_pages_show_district_names(client, make_space):
    space = make_space("Sala przy Rynku", district="stare-miasto", address="Rynek Staromiejski 1")
    client.post("/jezyk", data={"lang": "uk"})
    spaces = client.get("/przestrzenie/").text
    assert "Старе Місто" in spaces and "Бидгоське Передмістя" in spaces
    assert "Старе Місто" in client.get(f"/przestrzenie/sala/{space.slug}").text
    assert "Грембоцин над Стругою" in client.get("/wolontariat/").text
    client.post("/jezyk", data={"lang": "en"})
    spaces = client.get("/przestrzenie/").text
    assert "Stare Miasto (Old Town)" in spaces and "Chełmińskie Przedmieście" in spaces
    assert "Бидгоське" not in spaces
    assert "Stare Miasto (Old Town)" in client.get(f"/przestrzenie/sala/{space.slug}").text
    client.post("/jezyk", data={"lang": "pl"})
    assert "Stare Miasto (Old Town)" not in client.get("/przestrzenie/").text


def test_the_migration_fills_names_where_empty_and_seeds_neighbours(tmp_path, backend):
    """On a database migrated before 0028: empty names are filled, a name staff wrote is kept,
    and the neighbours are the map that was in code (both ways)."""
    if backend != "sqlite":
        pytest.skip("one database is enough to run the migration on")
    from flask_migrate import upgrade

    from app import create_app
    from app.vocabularies import neighbours

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})
    with old.app_context():
        upgrade(revision="0027_grant_rates")
        db.session.execute(
            sa.text(
                "UPDATE vocabulary_terms SET name_en = 'Rubinkowo estate' WHERE code = 'rubinkowo'"
            )
        )
        db.session.commit()
        upgrade()
        assert district("rubinkowo").name_en == "Rubinkowo estate"  # staff's own
        assert district("rubinkowo").name_uk == "Рубінково"
        assert district("podgorz").name_en == "Podgórz"
        found = neighbours()
        assert "na-skarpie" in found["rubinkowo"] and "rubinkowo" in found["na-skarpie"]
        # Katarzynka listed Bielany but not the other way round: now both ways.
        assert "katarzynka" in found["bielany"]
        db.session.remove()
        db.engine.dispose()


def test_staff_add_a_district_with_neighbours_and_matching_uses_them(
    client, auth, staff, make_space, make_booking, organisation
):
    day = next_weekday(2)
    make_space("Sala na Rubinkowie", district="rubinkowo")
    auth.login(staff)
    page = client.get("/urzad/slowniki")
    assert 'name="neighbours" value="rubinkowo"' in page.text
    # A new district without neighbours: nothing is suggested next door.
    added = client.post(
        "/urzad/slowniki",
        data={"vocabulary": "district", "code": "jar", "name": "JAR", "name_uk": "ЯР"},
    )
    assert added.status_code == 303
    need = Need(day=day, start=time(10), end=time(12), people=5, districts=["jar"])
    assert nearby(need) == []
    jar = district("jar")
    form = client.get(f"/urzad/slowniki/{jar.id}/sasiedzi")
    assert form.status_code == 200 and 'value="rubinkowo"' in form.text
    saved = client.post(f"/urzad/slowniki/{jar.id}/sasiedzi", data={"neighbours": ["rubinkowo"]})
    assert saved.status_code == 303
    assert nearby(need) == ["Sala na Rubinkowie"]
    # Symmetric: a request in Rubinkowo (its only room taken) is offered the room in JAR.
    busy = db.session.scalar(sa.select(Space).where(Space.name == "Sala na Rubinkowie"))
    make_booking(busy, organisation, day, time(9), time(13))
    make_space("Sala w JAR", district="jar")
    in_rubinkowo = Need(day=day, start=time(10), end=time(12), people=5, districts=["rubinkowo"])
    assert "Sala w JAR" in nearby(in_rubinkowo)
    from app.vocabularies import forget, neighbours

    assert "JAR" in client.get("/urzad/slowniki").text.split('id="district"')[1]
    # Added with neighbours in one step (the add form's checkboxes).
    client.post(
        "/urzad/slowniki",
        data={
            "vocabulary": "district",
            "code": "las",
            "name": "Las",
            "neighbours": ["jar", "mokre"],
        },
    )
    forget()
    assert sorted(neighbours()["las"]) == ["jar", "mokre"] and "las" in neighbours()["mokre"]
    # Emptied: the new district has no neighbours again.
    client.post(f"/urzad/slowniki/{jar.id}/sasiedzi", data={})
    forget()
    assert "jar" not in neighbours() and neighbours()["las"] == ["mokre"]
    assert "Sala w JAR" not in nearby(in_rubinkowo)


def test_neighbour_validation_and_authorisation(client, auth, staff, ngo_owner, provider_manager):
    auth.login(staff)
    mokre = district("mokre")
    before = client.get(f"/urzad/slowniki/{mokre.id}/sasiedzi").text
    assert 'value="rubinkowo" id="neighbour-rubinkowo" checked' in before
    unknown = client.post(
        f"/urzad/slowniki/{mokre.id}/sasiedzi", data={"neighbours": ["rubinkowo", "atlantyda"]}
    )
    assert unknown.status_code == 422 and "Wybierz sąsiednie osiedla z listy" in unknown.text
    itself = client.post(f"/urzad/slowniki/{mokre.id}/sasiedzi", data={"neighbours": ["mokre"]})
    assert itself.status_code == 422 and "samo ze sobą" in itself.text
    bad_add = client.post(
        "/urzad/slowniki",
        data={"vocabulary": "district", "code": "nowe", "name": "Nowe", "neighbours": ["xyz"]},
    )
    assert bad_add.status_code == 422 and 'value="Nowe"' in bad_add.text
    assert district("nowe") is None
    # htmx asks for a fragment: the error comes back without the page around it.
    fragment = client.hx_post(f"/urzad/slowniki/{mokre.id}/sasiedzi", data={"neighbours": ["x"]})
    assert fragment.status_code == 422 and "Wybierz sąsiednie osiedla" in fragment.text
    lift = db.session.scalar(sa.select(Term).where(Term.code == "lift"))
    assert client.get(f"/urzad/slowniki/{lift.id}/sasiedzi").status_code == 404
    assert client.get("/urzad/slowniki/999999/sasiedzi").status_code == 404
    from app.vocabularies import forget, neighbours

    forget()
    assert "rubinkowo" in neighbours()["mokre"]  # nothing changed by the refused posts
    for user in (ngo_owner, provider_manager):
        auth.login(user)
        assert client.get(f"/urzad/slowniki/{mokre.id}/sasiedzi").status_code == 403
        refused = client.post(f"/urzad/slowniki/{mokre.id}/sasiedzi", data={})
        assert refused.status_code == 403
    forget()
    assert "rubinkowo" in neighbours()["mokre"]
    auth.logout()
    assert client.get(f"/urzad/slowniki/{mokre.id}/sasiedzi").status_code in (302, 303)
