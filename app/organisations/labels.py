"""Labels of the curated competence list in the page's language (the Polish name, marked
``lang="pl"``, where staff gave no translation)."""

from __future__ import annotations

from markupsafe import Markup

from app.content_language import page_language, translated_or_polish
from app.organisations.blueprint import bp
from app.organisations.models import Competence


@bp.app_template_filter("competence_name")
def competence_name(competence: Competence) -> Markup:
    return translated_or_polish(competence.translated_name(page_language()), competence.name)


def competence_choices(competences) -> list[tuple[int, Markup]]:
    """(id, label) pairs in the page's language, in its alphabetical order."""
    labelled = [(c.id, competence_name(c)) for c in competences]
    return sorted(labelled, key=lambda item: Markup(item[1]).striptags().casefold())
