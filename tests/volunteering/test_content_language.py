"""Volunteering pages in English and Ukrainian: the offer's own (Polish) text marked lang="pl",
the board's vocabulary translated; on Polish pages no redundant marking."""

from __future__ import annotations

import pytest

from tests.content_language import inherits_page_language, marked_polish

TITLE = "Spacery z seniorami po Starówce"
DESCRIPTION = "Towarzyszymy osobom starszym w spacerach"


@pytest.fixture
def offer(make_opportunity, make_shift):
    opportunity = make_opportunity(
        TITLE,
        sphere="seniors",
        description=DESCRIPTION,
        address="ul. Szeroka 5",
        skills="cierpliwość",
        tags=("intergenerational",),
    )
    make_shift(opportunity)
    return opportunity


TRANSLATED = {
    "en": ("People of retirement age", "intergenerational"),
    "uk": ("Діяльність на користь людей пенсійного віку", "міжпоколіннєве"),
}


@pytest.mark.parametrize("language", ["en", "uk"])
def test_offer_page_marks_polish_content(client, offer, organisation, language):
    page = client.get(f"/wolontariat/oferty/{offer.id}", headers={"Accept-Language": language}).text
    assert f'<html lang="{language}">' in page
    for text in (TITLE, DESCRIPTION, organisation.name, "ul. Szeroka 5", "cierpliwość"):
        assert marked_polish(page, text), text
    area, tag = TRANSLATED[language]
    assert area in page and not marked_polish(page, area)
    assert tag in page and not marked_polish(page, tag)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_list_and_filter_by_area_in_every_language(client, offer, make_opportunity, language):
    make_opportunity("Mecz charytatywny", sphere="sport")
    headers = {"Accept-Language": language}
    page = client.get("/wolontariat/?area=seniors", headers=headers).text
    assert marked_polish(page, TITLE) and "Mecz charytatywny" not in page
    assert TRANSLATED[language][0] in page
    found = client.get("/wolontariat/?q=seniorami", headers=headers).text
    assert marked_polish(found, TITLE)


def test_polish_pages_carry_no_redundant_marking(client, offer, organisation):
    headers = {"Accept-Language": "pl"}
    page = client.get(f"/wolontariat/oferty/{offer.id}", headers=headers).text
    for text in (TITLE, DESCRIPTION, organisation.name, "ul. Szeroka 5"):
        assert inherits_page_language(page, text), text
    listing = client.get("/wolontariat/", headers=headers).text
    assert inherits_page_language(listing, TITLE)
    assert 'lang="pl"' not in listing.split("<main", 1)[1]
