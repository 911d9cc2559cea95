"""Volunteering opportunities in the header search and the list's text search (Polish-aware),
on both databases: only published, current offers are found; the index follows every write."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from app.demo import load_demo_data
from app.extensions import db
from app.search.models import SearchDocument
from app.search.service import search
from app.timeutil import local_today
from app.volunteering.models import Opportunity, OpportunityStatus


def _base(organisation):
    return f"/wolontariat/organizacja/{organisation.slug}"


def found(query: str) -> list[str]:
    counts, hits = search(query, ["opportunity"], limit=50)
    titles = [hit.title for hit in hits.get("opportunity", [])]
    assert counts.get("opportunity", 0) == len(titles)
    return titles


def section(html: str, kind: str) -> str:
    match = re.search(
        rf'<section class="search-section" aria-labelledby="section-{kind}">.*?</section>',
        html,
        re.S,
    )
    assert match, f"no {kind} section"
    return match.group(0)


def test_header_search_shows_an_opportunities_section(client, make_opportunity, make_shift):
    walks = make_opportunity(
        "Spacery z seniorami po Rubinkowie", description="Spacer i rozmowa przy kawie."
    )
    make_shift(walks)
    make_opportunity(
        "Sprzątanie brzegów Wisły", sphere="ecology_animals", district="bydgoskie-przedmiescie"
    )

    for query in ("seniorow", "SENIORZY", "spacerow rubinkowo", "seniorzy rubink"):
        page = client.get("/szukaj/", query_string={"q": query})
        assert page.status_code == 200
        opportunities = section(page.text, "opportunity")
        assert "Oferty wolontariatu" in opportunities, query
        assert f'href="/wolontariat/oferty/{walks.id}"' in opportunities, query
        assert "Spacery z seniorami po Rubinkowie" in opportunities, query
        assert "Sprzątanie" not in opportunities, query
    # the organisations section is still there, with its own results
    assert 'aria-labelledby="section-organisation"' in page.text

    fragment = client.hx_get("/szukaj/?q=wisla")
    assert "<html" not in fragment.text
    assert "Sprzątanie brzegów Wisły" in section(fragment.text, "opportunity")


def test_opportunities_are_found_by_cause_area_tags_district_and_organisation(
    make_opportunity, make_organisation
):
    shelter = make_organisation("Stowarzyszenie Przyjaciół Zwierząt")
    make_opportunity(
        "Wyprowadzanie psów",
        org=shelter,
        sphere="ecology_animals",
        district="na-skarpie",
        tags=["families"],
        skills="prawo jazdy",
        description="Schronisko przy ul. Przybyszewskiego.",
    )
    for query in (
        "ekologia",  # cause area label
        "zwierzeta",  # cause area, no diacritics
        "rodzin",  # tag "dla rodzin", prefix
        "na skarpie",  # district
        "przyjaciol",  # organisation name
        "prawa jazdy",  # skills, inflected
        "przybyszewskiego",  # description (body)
    ):
        assert found(query) == ["Wyprowadzanie psów"], query


def test_title_ranks_above_keywords_and_description(make_opportunity):
    make_opportunity("Pomoc w jadłodzielni", description="Wydawanie posiłków seniorom.")
    make_opportunity("Kawiarenka", tags=["seniors"])
    make_opportunity("Seniorzy i smartfony")
    assert found("seniorow") == ["Seniorzy i smartfony", "Kawiarenka", "Pomoc w jadłodzielni"]


def test_drafts_closed_and_expired_offers_are_not_found(client, make_opportunity, make_shift):
    make_opportunity("Czytanie seniorom (szkic)", status=OpportunityStatus.DRAFT)
    make_opportunity("Zakupy dla seniorów", status=OpportunityStatus.CLOSED)
    past = make_opportunity("Wigilia seniorów 2025")
    make_shift(past, starts_in=-timedelta(days=2))
    old = make_opportunity("Kiermasz dla seniorów", valid_until=local_today() - timedelta(days=1))
    make_opportunity("Telefon dla seniorów")  # no shifts: ongoing help
    current = make_opportunity("Bal seniorów")
    make_shift(current)
    make_shift(past, starts_in=-timedelta(days=9))

    assert sorted(found("seniorow")) == ["Bal seniorów", "Telefon dla seniorów"]
    page = client.get("/szukaj/?q=seniorow").text
    assert "Wigilia" not in page and "Kiermasz" not in page and "szkic" not in page
    assert "Zakupy" not in page and "Telefon dla seniorów" in page
    # Expiry is decided when searching: a new shift or a later date brings the offer back.
    make_shift(past)
    old.valid_until = local_today() + timedelta(days=30)
    db.session.commit()
    assert sorted(found("seniorow")) == [
        "Bal seniorów",
        "Kiermasz dla seniorów",
        "Telefon dla seniorów",
        "Wigilia seniorów 2025",
    ]


def test_the_index_follows_publish_edit_close_and_delete(
    client, auth, organisation, ngo_owner, make_opportunity
):
    auth.login(ngo_owner)
    opportunity = make_opportunity(
        "Korepetycje z matematyki", status=OpportunityStatus.DRAFT, sphere="education"
    )
    assert found("korepetycji") == []
    client.post(f"{_base(organisation)}/oferty/{opportunity.id}/status", data={"action": "publish"})
    assert found("korepetycji") == ["Korepetycje z matematyki"]

    response = client.post(
        f"{_base(organisation)}/oferty/{opportunity.id}/edycja",
        data={
            "title": "Korepetycje z fizyki",
            "description": "Dla uczniów szkół podstawowych.",
            "sphere": "education",
            "kind": "regular",
            "tags": ["youth"],
            "district": "bielany",
            "requires_approval": "y",
        },
    )
    assert response.status_code == 303
    assert found("fizyka") == ["Korepetycje z fizyki"]
    assert found("matematyka") == []
    assert found("bielany uczniowie") == ["Korepetycje z fizyki"]

    organisation.name = "Fundacja Mądre Głowy"
    db.session.commit()
    assert found("madrych glow") == ["Korepetycje z fizyki"]

    client.post(f"{_base(organisation)}/oferty/{opportunity.id}/status", data={"action": "close"})
    assert found("korepetycji") == []
    assert "Korepetycje" not in client.get("/szukaj/?q=korepetycje").text

    client.post(f"{_base(organisation)}/oferty/{opportunity.id}/status", data={"action": "publish"})
    assert found("korepetycji") == ["Korepetycje z fizyki"]
    db.session.delete(db.session.get(Opportunity, opportunity.id))
    db.session.commit()
    assert found("korepetycji") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument).where(
        SearchDocument.kind == "opportunity")) == 0  # fmt: skip


def test_list_text_search_without_and_with_htmx(client, make_opportunity, make_shift):
    walks = make_opportunity("Spacery z seniorami", district="rubinkowo")
    make_shift(walks)
    make_opportunity("Zakupy dla seniorów", district="bielany")
    make_opportunity("Sprzątanie lasu", description="Seniorzy mile widziani.", district="wrzosy")
    make_opportunity("Warsztaty dla dzieci", district="rubinkowo")

    page = client.get("/wolontariat/?q=seniorow")
    assert page.status_code == 200
    assert 'id="f-q"' in page.text and 'value="seniorow"' in page.text
    assert "3 oferty" in page.text
    titles = re.findall(r"Spacery z seniorami|Zakupy dla seniorów|Sprzątanie lasu", page.text)
    # title matches first (soonest among them), the description match last
    assert titles == ["Spacery z seniorami", "Zakupy dla seniorów", "Sprzątanie lasu"]
    assert "Warsztaty" not in page.text

    # combined with another filter, as a fragment for htmx
    fragment = client.hx_get("/wolontariat/?q=senior&district=rubinkowo")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'data-announce="1 oferta"' in fragment.text
    assert "Spacery z seniorami" in fragment.text and "Zakupy" not in fragment.text

    # another order still keeps only the matches
    by_title = client.get("/wolontariat/?q=seniorzy&sort=title").text
    assert re.findall(r"Spacery z seniorami|Zakupy dla seniorów|Sprzątanie lasu", by_title) == [
        "Spacery z seniorami",
        "Sprzątanie lasu",
        "Zakupy dla seniorów",
    ]
    assert "Brak ofert" in client.get("/wolontariat/?q=kosmonauta").text
    # a query of punctuation only lists everything
    assert "4 oferty" in client.get("/wolontariat/", query_string={"q": " ?! "}).text


def test_header_search_links_to_the_list_for_all_matches(client, make_opportunity):
    for number in range(12):
        make_opportunity(f"Dyżur seniorów {number:02d}")
    page = client.get("/szukaj/?q=dyzurow").text
    opportunities = section(page, "opportunity")
    assert opportunities.count('<li class="card">') == 10
    assert 'href="/wolontariat/?q=dyzurow"' in opportunities
    assert "Zobacz wszystkie 12 wyników" in opportunities
    listing = client.get("/wolontariat/?q=dyzurow").text
    assert "12 ofert" in listing


def test_reindex_command_rebuilds_opportunities(app, make_opportunity):
    published = make_opportunity("Pomoc w hospicjum")
    make_opportunity("Szkic oferty hospicyjnej", status=OpportunityStatus.DRAFT)
    db.session.execute(sa.delete(SearchDocument))
    # a leftover entry of an offer that no longer exists
    db.session.add(
        SearchDocument(kind="opportunity", ref_id=999_999, title="Stare", sort_key="stare")
    )
    db.session.commit()
    assert found("hospicjum") == []

    result = app.test_cli_runner().invoke(args=["reindex-search"])
    assert result.exit_code == 0, result.output
    assert "opportunity: 1" in result.output and "organisation: 1" in result.output
    assert found("hospicjum") == ["Pomoc w hospicjum"]
    refs = db.session.scalars(
        sa.select(SearchDocument.ref_id).where(SearchDocument.kind == "opportunity")
    ).all()
    assert refs == [published.id]


def test_demo_data_leaves_the_index_complete(demo_app):
    db.session.execute(sa.delete(SearchDocument).where(SearchDocument.kind == "opportunity"))
    db.session.commit()
    load_demo_data()  # idempotent, and fills in what an older demo database lacks
    # Published and not hidden by moderation (the demo hides one offer).
    published = set(db.session.scalars(sa.select(Opportunity.id).where(Opportunity.public())))
    assert db.session.scalar(
        sa.select(sa.func.count()).where(
            Opportunity.status == OpportunityStatus.PUBLISHED, Opportunity.hidden_at.is_not(None)
        )
    )
    indexed = set(
        db.session.scalars(
            sa.select(SearchDocument.ref_id).where(SearchDocument.kind == "opportunity")
        )
    )
    assert published and indexed == published
    assert "Spacery z seniorami po Rubinkowie" in found("seniorow")


def test_search_in_english_and_ukrainian_finds_polish_words(client, make_opportunity):
    make_opportunity("Spacery z psami", sphere="ecology_animals")
    english = client.get("/szukaj/?q=zwierzeta", headers={"Accept-Language": "en"}).text
    assert "Volunteering opportunities" in english and "Spacery z psami" in english
    listing = client.get("/wolontariat/?q=zwierzeta", headers={"Accept-Language": "en"}).text
    assert "Search the opportunities" in listing and "best match, then soonest" in listing
    assert "Spacery z psami" in listing
    ukrainian = client.get("/szukaj/?q=zwierzeta", headers={"Accept-Language": "uk"}).text
    assert "Волонтерські пропозиції" in ukrainian and "Spacery z psami" in ukrainian
    # The index is Polish whatever language the writer reads: not "Ecology and animals".
    with force_locale("en"):
        opportunity = db.session.scalar(sa.select(Opportunity))
        opportunity.description = "Nowy opis."
        db.session.commit()
    assert found("zwierzeta") == ["Spacery z psami"]
    assert found("ecology") == []
