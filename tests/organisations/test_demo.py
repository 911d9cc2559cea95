"""The demo data set shows the competence base on first start, and loading it twice is harmless."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo import load_demo_data
from app.extensions import db
from app.organisations.models import (
    Membership,
    Offer,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
)
from app.search.models import SearchDocument
from app.search.service import search


def count(column) -> int:
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(column))))


def test_demo_data_is_varied_and_idempotent(demo_app):
    organisations = count(Organisation.id)
    assert organisations >= 60
    assert count(OrganisationArea.code) >= 15
    assert count(OrganisationDistrict.code) == 21
    assert count(Offer.kind) == 4 and count(Offer.id) >= 60
    assert count(Project.id) >= 60
    indexed = sa.select(sa.func.count()).where(SearchDocument.kind == "organisation")
    assert db.session.scalar(indexed) == organisations  # other kinds are indexed too
    for slug in (
        "fundacja-razem-dla-seniora",
        "stowarzyszenie-rubinkowo-sasiedzi",
        "torunski-klub-sportowy-wisla",
        "fundacja-mlodzi-na-skarpie",
    ):
        assert db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug))
    memberships = count(Membership.id)

    load_demo_data()
    assert count(Organisation.id) == organisations
    assert count(Membership.id) == memberships
    assert search("ksiegowosc", ["organisation"])[0]["organisation"] >= 3
