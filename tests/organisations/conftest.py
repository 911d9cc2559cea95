"""Factories for the competence base: organisations with full, indexed profiles."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations import service
from app.organisations.models import Competence, Offer, OfferKind, Project


@pytest.fixture
def make_competence(app):
    def make_competence(name: str) -> Competence:
        competence = service.competence_by_name(name) or service.save_competence(name)
        db.session.commit()
        return competence

    return make_competence


@pytest.fixture
def make_organisation_profile(app, make_competence):
    """An organisation created the way the app does it (the search index follows by itself).
    Named apart from volunteering's ``make_profile`` (a volunteer's profile)."""

    def make_organisation_profile(
        name: str,
        *,
        owner=None,
        editors=(),
        areas=(),
        competences=(),
        districts=(),
        offers=(),
        projects=(),
        verified: bool = False,
        **fields,
    ):
        organisation = service.create_organisation(owner, name=name, **fields)
        for editor in editors:
            service.add_member(organisation, editor, service.MemberRole.EDITOR)
        service.update_profile(
            organisation,
            areas=list(areas),
            districts=list(districts),
            competence_ids=[make_competence(c).id for c in competences],
        )
        for kind, title in offers:
            organisation.offers.append(Offer(kind=OfferKind(kind), title=title))
        for title in projects:
            organisation.projects.append(Project(title=title, year_start=2024))
        if offers or projects:
            service.touch(organisation)
        if verified:
            service.set_verified(organisation, True)
        db.session.commit()
        return organisation

    return make_organisation_profile


def profile_form(organisation=None, **overrides) -> dict:
    """What a browser posts from the profile form."""
    data = {
        "name": organisation.name if organisation else "Fundacja Testowa",
        "legal_form": "foundation",
        "krs": (organisation.krs or "") if organisation else "",
        "nip": "",
        "regon": "",
        "short_description": "Pomagamy sąsiadom.",
        "description": "Długi opis.",
        "tags": "szachy, rękodzieło",
        "street": "ul. Szeroka 1",
        "postcode": "87-100",
        "city": "Toruń",
        "email": "kontakt@example.org",
        "phone": "",
        "website": "https://example.org",
        "social_links": "",
        "areas": ["seniors"],
        "districts": ["rubinkowo"],
    }
    data.update(overrides)
    return data
