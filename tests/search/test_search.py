"""Polish-aware search, the same on SQLite (FTS5) and PostgreSQL (tsvector + GIN): every test
here runs on both databases, so the shared query set below proves both give the same hits in
the same order."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.organisations import service as orgs
from app.search.kinds import KINDS, SearchKind, register_kind
from app.search.service import index_document, remove_document, search
from app.search.text import damerau_distance_at_most_one, fold, index_terms, stem

PROFILES = {
    "lodz_pl": ("Fundacja Łódź i Okolice", {"description": "Wycieczki rowerowe."}),
    "lodz_ascii": ("Stowarzyszenie Lodz Torun", {"description": "Wymiana młodzieży."}),
    "club": ("Klub Seniora Rubinkowo", {"description": "Spotkania dla seniorów przy kawie."}),
    "helping": ("Fundacja Pomocna Dłoń", {"competences": ["praca z seniorami"],
                                          "description": "Wspieramy rodziny."}),
    "sport": ("Stowarzyszenie Sportowe Start", {"description": "Zajęcia z seniorami i młodzieżą."}),
    "accounts": ("Biuro Rachunkowe NGO", {"competences": ["księgowość"]}),
    "kids": ("Fundacja Dzieciaki", {"description": "Zabawy z dziećmi na podwórku."}),
    "school": ("Szkoła Wspólna", {"description": "Uczymy dzieci programowania."}),
    "together": ("Stowarzyszenie Seniorzy Razem", {}),
}  # fmt: skip

# query -> the expected hits, best first (a set where the order within is not specified)
SHARED_QUERIES = {
    # diacritics folded both ways, ł/Ł included
    "lodz": {"lodz_pl", "lodz_ascii"},
    "Łódź": {"lodz_pl", "lodz_ascii"},
    "ŁÓDŹ": {"lodz_pl", "lodz_ascii"},
    "ksiegowosc": ["accounts"],
    "KSIĘGOWOŚĆ": ["accounts"],
    # inflection
    "seniorów": ["club", "together", "helping", "sport"],
    "seniorami": ["club", "together", "helping", "sport"],
    "seniorzy": ["club", "together", "helping", "sport"],
    "dla seniorów": ["club", "together", "helping", "sport"],
    "dzieci": {"kids", "school"},
    "dziećmi": {"kids", "school"},
    "ksiegowosci": ["accounts"],
    # prefixes while typing
    "rubin": ["club"],
    "ksieg": ["accounts"],
    "senior rubink": ["club"],
    # one typo
    "rubinkowp": ["club"],
    "ksiegowsc": ["accounts"],
    "fudnacja": {"lodz_pl", "helping", "kids"},
    # nothing
    "kosmonauta": [],
}


@pytest.fixture
def profiles(app):
    made = {}
    for key, (name, fields) in PROFILES.items():
        organisation = orgs.create_organisation(None, name=name)
        competences = [
            (orgs.competence_by_name(c) or orgs.save_competence(c)).id
            for c in fields.get("competences", [])
        ]
        orgs.update_profile(
            organisation, description=fields.get("description", ""), competence_ids=competences
        )
        made[organisation.id] = key
    return made


def hits_for(query: str, profiles: dict) -> list[str]:
    counts, hits = search(query, ["organisation"], limit=50)
    keys = [profiles[hit.ref_id] for hit in hits.get("organisation", [])]
    assert counts.get("organisation", 0) == len(keys)
    return keys


@pytest.mark.parametrize("query", list(SHARED_QUERIES))
def test_shared_query_set(profiles, query):
    expected = SHARED_QUERIES[query]
    found = hits_for(query, profiles)
    if isinstance(expected, set):
        assert set(found) == expected and len(found) == len(expected)
    else:
        assert found == expected


def test_name_ranks_above_competences_above_description(profiles):
    # "Klub Seniora" and "Seniorzy Razem" match by name, "Pomocna Dłoń" by competence,
    # "Sportowe Start" only in its description.
    assert hits_for("seniorzy", profiles) == ["club", "together", "helping", "sport"]


def test_folding_and_terms():
    assert fold("Łódź ŻÓŁĆ Gęślą") == "lodz zolc gesla"
    assert stem("seniorami") == "senior" and stem("dom") == "dom"
    terms = index_terms("Dziećmi").split()
    assert {"dziecmi", "dziecko"} <= set(terms)
    assert damerau_distance_at_most_one("ksiegowosc", "ksiegowsc")
    assert damerau_distance_at_most_one("rubinkowo", "rubnikowo")  # a swap
    assert not damerau_distance_at_most_one("rubinkowo", "rubikowa")


def test_index_document_replaces_and_remove_document_forgets(app):
    index_document("organisation", 77, title="Stowarzyszenie Stare Słowa", url_key="x")
    db.session.commit()
    assert search("stare", ["organisation"])[0] == {"organisation": 1}
    index_document("organisation", 77, title="Stowarzyszenie Nowe Słowa", url_key="x")
    db.session.commit()
    assert search("stare", ["organisation"])[0] == {}
    assert search("nowe", ["organisation"])[0] == {"organisation": 1}
    remove_document("organisation", 77)
    db.session.commit()
    assert search("nowe", ["organisation"])[0] == {}


def test_editing_a_profile_updates_the_index(app, profiles):
    organisation = next(o for o in orgs.all_competences()) and None
    assert organisation is None
    club_id = next(i for i, k in profiles.items() if k == "club")
    club = db.session.get(orgs.Organisation, club_id)
    orgs.update_profile(club, name="Klub Szachowy Hetman")
    assert hits_for("hetman", profiles) == ["club"]
    assert "club" not in hits_for("rubinkowo", profiles)


@pytest.fixture
def extra_kind():
    register_kind(SearchKind("test-space", "Sale testowe", endpoint="pages.home", url_arg="ref"))
    yield
    KINDS.pop("test-space")


def test_results_page_has_a_section_per_kind(client, profiles, extra_kind):
    index_document("test-space", 1, title="Sala dla seniorów", url_key="sala-1")
    db.session.commit()
    page = client.get("/szukaj/?q=seniorzy")
    assert page.status_code == 200
    text = page.text
    assert "5 wyników dla „seniorzy”" in text
    assert text.index("Sale testowe") > 0 and "Organizacje" in text
    assert "Sala dla seniorów" in text and "Klub Seniora Rubinkowo" in text
    assert "HX-Request" in page.headers["Vary"]


def test_active_search_fragment_announces_the_count(client, profiles):
    fragment = client.hx_get("/szukaj/?q=dzieci")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'data-announce="2 wyniki dla „dzieci”"' in fragment.text


def test_search_page_works_without_a_query_and_with_junk(client, profiles):
    assert "Wpisz co najmniej jedno słowo" in client.get("/szukaj/").text
    for junk in ("***", "'\"", "a" * 500, "OR AND NOT", "ł" * 3):
        assert client.get("/szukaj/", query_string={"q": junk}).status_code == 200


def test_header_search_form_points_at_the_results_page(client):
    page = client.get("/").text
    assert 'action="/szukaj/"' in page and 'name="q"' in page


# --- issue 10 item 17 ---------------------------------------------------------------------------


def test_a_common_word_ranks_by_frequency_before_name(app):
    """Fifteen profiles tagged "sport" once, named before the sports club alphabetically,
    used to push the club (sport in its competences, tags and description) out of the top 10."""
    for number in range(15):
        organisation = orgs.create_organisation(None, name=f"Fundacja Alfa {number:02d}")
        orgs.update_profile(organisation, tags="sport, kultura", description="Działamy lokalnie.")
    club = orgs.create_organisation(None, name="Zawisza Toruń")
    competence = orgs.competence_by_name("sport") or orgs.save_competence("sport")
    orgs.update_profile(
        club,
        competence_ids=[competence.id],
        tags="sport drużynowy, sport szkolny",
        description="Działamy lokalnie.",
    )
    db.session.commit()
    counts, hits = search("sport", ["organisation"], limit=10)
    assert counts["organisation"] == 16
    assert hits["organisation"][0].ref_id == club.id
    # The tiers still decide first: a name match beats any frequency elsewhere.
    named = orgs.create_organisation(None, name="Sport Dla Wszystkich")
    db.session.commit()
    _counts, hits = search("sport", ["organisation"], limit=10)
    assert [h.ref_id for h in hits["organisation"][:2]] == [named.id, club.id]


def test_the_header_box_follows_the_query_of_the_search_page(client, profiles):
    page = client.get("/szukaj/?q=dzieci").text
    assert 'id="site-search-q"' in page and 'value="dzieci"' in page
    # Typing on the search page swaps only the results; the header box comes along.
    fragment = client.hx_get("/szukaj/?q=seniorzy").text
    assert 'id="site-search-q"' in fragment and 'hx-swap-oob="true"' in fragment
    header_box = re.search(r'<input id="site-search-q"[^>]*>', fragment).group(0)
    assert 'value="seniorzy"' in header_box and 'hx-swap-oob="true"' in header_box
    assert fragment.count('id="site-search-q"') == 1
    # The full page has the header's box once (no second copy out of band).
    assert client.get("/szukaj/?q=dzieci").text.count('id="site-search-q"') == 1
