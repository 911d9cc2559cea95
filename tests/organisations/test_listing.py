"""The public list: facets with counts, search within the list, a page and an htmx fragment."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.organisations import service
from app.organisations.service import Filters, list_organisations


@pytest.fixture
def base(make_organisation_profile):
    return {
        "seniors": make_organisation_profile(
            "Fundacja Złota Jesień", areas=["seniors", "health"], districts=["rubinkowo"],
            competences=["praca z seniorami"], offers=[("space", "Sala")], verified=True,
        ),
        "youth": make_organisation_profile(
            "Stowarzyszenie Młodzi", areas=["children_youth"], districts=["rubinkowo", "mokre"],
            competences=["praca z młodzieżą"],
        ),
        "legal": make_organisation_profile(
            "Fundacja Prawo dla Seniora", areas=["legal_aid", "seniors"], districts=["mokre"],
            competences=["prawo pracy"], offers=[("service", "Porady prawne")], verified=True,
        ),
    }  # fmt: skip


def listing(**args):
    return list_organisations(Filters.from_args(MultiDict(args)))


def names(result):
    return [o.name for o in result.organisations]


def test_facet_counts_without_filters(base):
    result = listing()
    assert result.total == 3
    assert result.facets["area"] == {"seniors": 2, "health": 1, "children_youth": 1, "legal_aid": 1}
    assert result.facets["district"] == {"rubinkowo": 2, "mokre": 2}
    assert result.facets["offer"] == {"space": 1, "service": 1}
    assert result.facets["verified"] == {"1": 2}


def test_filters_combine_and_counts_follow(base):
    result = listing(district="mokre")
    assert names(result) == ["Fundacja Prawo dla Seniora", "Stowarzyszenie Młodzi"]
    assert result.facets["area"] == {"children_youth": 1, "legal_aid": 1, "seniors": 1}
    # Values within one facet are alternatives: the district counts ignore the district filter.
    assert result.facets["district"] == {"rubinkowo": 2, "mokre": 2}
    result = list_organisations(
        Filters.from_args(
            MultiDict([("district", "mokre"), ("area", "seniors"), ("verified", "1")])
        )
    )
    assert names(result) == ["Fundacja Prawo dla Seniora"]
    competence = service.competence_by_name("praca z seniorami")
    assert names(listing(competence=str(competence.id))) == ["Fundacja Złota Jesień"]
    assert names(listing(offer="service")) == ["Fundacja Prawo dla Seniora"]


def test_search_within_the_list_uses_polish_search_and_facets(base):
    result = listing(q="seniorzy")
    assert names(result) == ["Fundacja Prawo dla Seniora", "Fundacja Złota Jesień"]
    assert result.facets["district"] == {"rubinkowo": 1, "mokre": 1}
    assert names(listing(q="seniorzy", district="rubinkowo")) == ["Fundacja Złota Jesień"]


def test_unknown_filter_values_are_ignored(client, base):
    response = client.get("/organizacje/?area=xxx&competence=abc&district=%27&page=zz&offer=1")
    assert response.status_code == 200
    assert "3 organizacje" in response.text


def test_list_page_and_fragment(client, base):
    page = client.get("/organizacje/?district=rubinkowo")
    assert page.status_code == 200
    text = page.text
    assert "2 organizacje" in text
    assert 'hx-push-url="true"' in text and 'name="q"' in text
    assert 'value="rubinkowo" checked' in text
    assert 'Rubinkowo <span class="facet-count">(2)</span>' in text
    fragment = client.hx_get("/organizacje/?q=prawo")
    assert "<html" not in fragment.text
    assert 'data-announce="1 organizacja"' in fragment.text
    assert "Fundacja Prawo dla Seniora" in fragment.text


def test_pagination(make_organisation_profile, client):
    for number in range(23):
        make_organisation_profile(f"Fundacja Numer {number:02d}")
    first = listing()
    assert (first.total, len(first.organisations), first.pages) == (23, 20, 2)
    second = listing(page="2")
    assert names(second) == ["Fundacja Numer 20", "Fundacja Numer 21", "Fundacja Numer 22"]
    assert listing(page="99").page == 2
    assert 'rel="next"' in client.get("/organizacje/").text


def test_list_in_english_and_ukrainian(client, base):
    english = client.get("/organizacje/", headers={"Accept-Language": "en"}).text
    assert "3 organisations" in english and "Area of activity" in english
    assert "People of retirement age" in english
    ukrainian = client.get("/organizacje/", headers={"Accept-Language": "uk"}).text
    assert "3 організації" in ukrainian and "Сфера діяльності" in ukrainian
