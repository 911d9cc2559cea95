"""Spaces and equipment in the header search and the catalogue's text search (Polish-aware),
on both databases: only active spaces are found; the index follows every write."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.demo import load_demo_data
from app.extensions import db
from app.search.models import SearchDocument
from app.search.service import search
from app.spaces.models import Space, SpaceKind
from tests.spaces.test_manage import settings_form


def found(query: str) -> list[str]:
    counts, hits = search(query, ["space"], limit=50)
    titles = [hit.title for hit in hits.get("space", [])]
    assert counts.get("space", 0) == len(titles)
    return titles


def section(html: str, kind: str) -> str:
    match = re.search(
        rf'<section class="search-section" aria-labelledby="section-{kind}">.*?</section>',
        html,
        re.S,
    )
    assert match, f"no {kind} section"
    return match.group(0)


def test_header_search_shows_a_spaces_section(client, make_space, provider):
    gym = make_space(
        "Sala gimnastyczna",
        district="podgorz",
        features=["projector", "step_free"],
        description="Parkiet, drabinki, szatnie.",
    )
    make_space("Pracownia plastyczna", district="bielany")
    for query in ("gimnastycznej", "rzutnikiem", "podgorz", "bez schodow", "drabinki"):
        page = client.get("/szukaj/", query_string={"q": query})
        assert page.status_code == 200
        spaces = section(page.text, "space")
        assert "Przestrzenie i sprzęt" in spaces, query
        assert f'href="/przestrzenie/sala/{gym.slug}"' in spaces, query
        assert "Pracownia" not in spaces, query
    # the provider is a keyword and the summary
    assert found(provider.name.lower()) == ["Pracownia plastyczna", "Sala gimnastyczna"]
    fragment = client.hx_get("/szukaj/?q=pracowni")
    assert "<html" not in fragment.text and "Pracownia plastyczna" in section(
        fragment.text, "space"
    )
    # three sections, in order: opportunities, organisations, spaces
    headings = re.findall(r'aria-labelledby="section-(\w+)"', client.get("/szukaj/?q=sala").text)
    assert headings == ["opportunity", "organisation", "space"]


def test_equipment_and_rooms_are_told_apart(make_space):
    make_space("Nagłośnienie przenośne", kind=SpaceKind.EQUIPMENT, stock=2, capacity=None)
    make_space("Sala widowiskowa", features=["sound"])
    assert found("sprzet naglosnienie") == ["Nagłośnienie przenośne"]
    # title beats the feature "Nagłośnienie" of the hall
    assert found("naglosnienia") == ["Nagłośnienie przenośne", "Sala widowiskowa"]


def test_the_index_follows_settings_deactivation_and_provider_name(
    client, auth, make_space, provider, provider_manager
):
    space = make_space("Sala nr 12")
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/zarzadzaj",
        data=settings_form(house_rules="Obuwie zmienne obowiązkowe."),
    )
    assert response.status_code == 303
    assert found("obuwia zmiennego") == ["Sala nr 12"]

    provider.name = "Liceum Akademickie"
    db.session.commit()
    assert found("akademickim liceum") == ["Sala nr 12"]

    space = db.session.get(Space, space.id)
    space.active = False
    db.session.commit()
    assert found("sala 12") == []
    assert "Sala nr 12" not in client.get("/szukaj/?q=sala").text
    space.active = True
    db.session.commit()
    assert found("sala 12") == ["Sala nr 12"]

    db.session.delete(space)
    db.session.commit()
    assert found("sala 12") == []
    kinds = db.session.scalars(sa.select(SearchDocument.kind)).all()
    assert "space" not in kinds


def test_catalogue_text_search_without_and_with_htmx(client, make_space):
    make_space("Sala Rubinkowo", district="rubinkowo", features=["projector"])
    make_space("Sala Skarpa", district="na-skarpie", description="Rzutnik na życzenie.")
    make_space("Rzutnik Epson", kind=SpaceKind.EQUIPMENT, stock=3, capacity=None)
    make_space("Namiot ogrodowy", kind=SpaceKind.EQUIPMENT, stock=5, capacity=None)

    page = client.get("/przestrzenie/?q=rzutnika")
    assert page.status_code == 200
    assert 'id="q"' in page.text and 'value="rzutnika"' in page.text
    assert "3 przestrzenie" in page.text and "Namiot" not in page.text
    titles = re.findall(r">(Sala Rubinkowo|Sala Skarpa|Rzutnik Epson)</a>", page.text)
    # name first, then equipment of a room, then a description
    assert titles == ["Rzutnik Epson", "Sala Rubinkowo", "Sala Skarpa"]

    fragment = client.hx_get("/przestrzenie/?q=rzutnik&kind=room")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Sala Rubinkowo" in fragment.text and "Rzutnik Epson" not in fragment.text
    assert "2 przestrzenie" in fragment.text
    assert "Nic nie pasuje" in client.get("/przestrzenie/?q=kosmonauta").text
    assert "4 przestrzenie" in client.get("/przestrzenie/", query_string={"q": " ?! "}).text


def test_reindex_command_includes_spaces(app, make_space):
    make_space("Aula")
    make_space("Stara sala", active=False)
    db.session.execute(sa.delete(SearchDocument))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reindex-search"])
    assert result.exit_code == 0, result.output
    assert "space: 1" in result.output
    assert found("aula") == ["Aula"] and found("stara") == []


def test_demo_data_leaves_the_space_index_complete(app):
    load_demo_data()
    db.session.execute(sa.delete(SearchDocument).where(SearchDocument.kind == "space"))
    db.session.commit()
    load_demo_data()
    active = set(db.session.scalars(sa.select(Space.id).where(Space.active.is_(True))))
    indexed = set(
        db.session.scalars(sa.select(SearchDocument.ref_id).where(SearchDocument.kind == "space"))
    )
    assert active and indexed == active


def test_spaces_search_in_english(client, make_space):
    make_space("Sala gimnastyczna", features=["projector"])
    english = client.get("/szukaj/?q=rzutnik", headers={"Accept-Language": "en"}).text
    assert "Spaces and equipment" in english and "Sala gimnastyczna" in english
    catalogue = client.get("/przestrzenie/?q=rzutnik", headers={"Accept-Language": "en"}).text
    assert "Search spaces" in catalogue and "Sala gimnastyczna" in catalogue
