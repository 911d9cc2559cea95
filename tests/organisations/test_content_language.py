"""Curated vocabulary in the page's language, and what organisations wrote marked lang="pl" on
English and Ukrainian pages (WCAG 3.1.2), but not on Polish ones (the page is Polish)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations import service
from app.organisations.models import Offer, OfferKind, OrganisationArea, Project
from tests.content_language import inherits_page_language, marked_polish

NAME = "Fundacja Pod Wiatr"
SHORT = "Żeglujemy z dziećmi z Torunia"
DESCRIPTION = "Uczymy pływać po Wiśle"


@pytest.fixture
def profile(make_organisation, make_competence):
    organisation = make_organisation(
        NAME,
        slug="pod-wiatr",
        short_description=SHORT,
        description=DESCRIPTION,
        street="ul. Bulwar Filadelfijski 1",
        tags="żeglarstwo",
    )
    accounting = make_competence("księgowość")
    service.save_competence("księgowość", accounting, name_en="accounting", name_uk="бухгалтерія")
    organisation.competences = [accounting, make_competence("szkutnictwo")]  # no translation
    organisation.areas = [OrganisationArea(code="seniors")]
    organisation.projects.append(Project(title="Wisła dla wszystkich", year_start=2024))
    organisation.offers.append(Offer(kind=OfferKind.EQUIPMENT, title="Kajaki do pożyczenia"))
    db.session.commit()
    return organisation


@pytest.mark.parametrize(
    ("language", "competence", "area"),
    [
        ("en", "accounting", "People of retirement age"),
        ("uk", "бухгалтерія", "Діяльність на користь людей пенсійного віку"),
    ],
)
def test_profile_in_english_and_ukrainian(client, profile, language, competence, area):
    page = client.get("/organizacje/pod-wiatr", headers={"Accept-Language": language}).text
    assert f'<html lang="{language}">' in page
    for text in (NAME, SHORT, DESCRIPTION, "Wisła dla wszystkich", "Kajaki do pożyczenia",
                 "ul. Bulwar Filadelfijski 1", "żeglarstwo"):  # fmt: skip
        assert marked_polish(page, text), text
    # The curated vocabulary is translated (and so not marked Polish) ...
    assert competence in page and not marked_polish(page, competence)
    assert area in page
    assert ">księgowość<" not in page
    # ... except a competence staff have not translated yet: its Polish name, marked.
    assert marked_polish(page, "szkutnictwo")


def test_profile_in_polish_has_no_redundant_marking(client, profile):
    page = client.get("/organizacje/pod-wiatr", headers={"Accept-Language": "pl"}).text
    assert '<html lang="pl">' in page
    for text in (NAME, SHORT, DESCRIPTION, "księgowość", "szkutnictwo", "Kajaki do pożyczenia"):
        assert inherits_page_language(page, text), text
    assert page.count('lang="pl"') == page.count('<html lang="pl">') + page.count(
        '<option value="pl" lang="pl"'
    )


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_list_filters_by_competence_and_searches_in_every_language(client, profile, language):
    competence = profile.competences[0]
    headers = {"Accept-Language": language}
    listed = client.get(f"/organizacje/?competence={competence.id}", headers=headers).text
    assert NAME in listed
    label = {"pl": "księgowość", "en": "accounting", "uk": "бухгалтерія"}[language]
    assert f'for="f-competence-{competence.id}">{label} ' in listed
    assert (marked_polish if language != "pl" else inherits_page_language)(listed, NAME)
    assert (marked_polish if language != "pl" else inherits_page_language)(listed, SHORT)
    # The search index is Polish: a Polish word finds the organisation whatever the page's language.
    found = client.get("/organizacje/?q=księgowość", headers=headers).text
    assert NAME in found
    other = client.get("/organizacje/?competence=999999", headers=headers).text
    assert NAME not in other


def test_staff_give_a_competence_its_translations(client, auth, staff, make_competence):
    competence = make_competence("mediacje")
    auth.login(staff)
    page = client.get("/organizacje/kompetencje").text
    assert 'name="name_en"' in page and 'lang="uk"' in page
    response = client.post(
        f"/organizacje/kompetencje/{competence.id}",
        data={
            "name": "mediacje",
            "name_en": "mediation",
            "name_uk": "медіація",
            "action": "rename",
        },
    )
    assert response.status_code == 303
    db.session.refresh(competence)
    assert (competence.name_en, competence.name_uk) == ("mediation", "медіація")
    response = client.post(
        "/organizacje/kompetencje",
        data={"name": "pierwsza pomoc", "name_en": "first aid", "name_uk": ""},
    )
    assert response.status_code == 303
    added = service.competence_by_name("pierwsza pomoc")
    assert added.translated_name("en") == "first aid" and added.translated_name("uk") is None
