"""Space pages in English and Ukrainian: the provider's own (Polish) text marked lang="pl",
equipment and accessibility translated, the feature filter working in every language."""

from __future__ import annotations

import pytest

from tests.content_language import inherits_page_language, marked_polish

NAME = "Aula Zespołu Szkół nr 5"
DESCRIPTION = "Duża sala z widownią na parterze"

TRANSLATED = {
    "en": ("Projector", "Step-free entrance"),
    "uk": ("Проєктор", "Вхід без сходів"),
}


@pytest.fixture
def aula(make_space):
    return make_space(
        NAME,
        slug="aula",
        description=DESCRIPTION,
        address="ul. Grudziądzka 1",
        features=("projector", "step_free"),
    )


@pytest.mark.parametrize("language", ["en", "uk"])
def test_space_page_marks_polish_content_and_translates_features(client, aula, provider, language):
    page = client.get("/przestrzenie/sala/aula", headers={"Accept-Language": language}).text
    assert f'<html lang="{language}">' in page
    for text in (NAME, DESCRIPTION, provider.name, "ul. Grudziądzka 1"):
        assert marked_polish(page, text), text
    for label in TRANSLATED[language]:
        assert label in page and not marked_polish(page, label)
    assert "Rzutnik" not in page


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_list_filters_by_feature_in_every_language(client, aula, make_space, language):
    make_space("Sala bez rzutnika", features=("wifi",))
    headers = {"Accept-Language": language}
    page = client.get("/przestrzenie/?equipment=projector", headers=headers).text
    assert NAME in page and "Sala bez rzutnika" not in page
    if language == "pl":
        assert inherits_page_language(page, NAME)
    else:
        assert marked_polish(page, NAME)
        # The filter's checkbox and the card's badge say it in the page's language.
        assert TRANSLATED[language][0] in page and "Rzutnik" not in page


def test_polish_space_page_has_no_redundant_marking(client, aula, provider):
    page = client.get("/przestrzenie/sala/aula", headers={"Accept-Language": "pl"}).text
    for text in (NAME, DESCRIPTION, provider.name):
        assert inherits_page_language(page, text), text
