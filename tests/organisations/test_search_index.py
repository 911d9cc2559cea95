"""The search index follows every write of an organisation, whoever makes it: no code path
has to remember to index (a plain ORM write, the members' forms, staff renaming a competence)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.organisations import service
from app.organisations.models import Offer, OfferKind, Project
from app.search.models import SearchDocument


def found(query: str) -> list[str]:
    return [o.name for o in service.list_organisations(service.Filters(q=query)).organisations]


def test_a_plain_orm_write_is_indexed(make_organisation):
    organisation = make_organisation("Stowarzyszenie Bez Indeksowania")  # no service call
    assert found("indeksowania") == ["Stowarzyszenie Bez Indeksowania"]
    organisation.name = "Stowarzyszenie Przemianowane"
    db.session.commit()
    assert found("przemianowane") == ["Stowarzyszenie Przemianowane"]
    assert found("indeksowania") == []


def test_projects_offers_and_competences_reindex_their_organisation(
    make_organisation, make_competence
):
    organisation = make_organisation("Fundacja Rzeczna")
    organisation.projects.append(Project(title="Czysta Wisła", year_start=2024))
    organisation.offers.append(Offer(kind=OfferKind.EQUIPMENT, title="Kajaki"))
    db.session.commit()
    assert found("kajaki") == found("wisła") == ["Fundacja Rzeczna"]

    organisation.projects[0].title = "Zielona Drwęca"  # the child only: the parent is untouched
    db.session.commit()
    assert found("drwęca") == ["Fundacja Rzeczna"] and found("wisła") == []

    competence = make_competence("ratownictwo wodne")
    organisation.competences.append(competence)
    db.session.commit()
    service.save_competence("ratownictwo", competence)  # staff rename it
    db.session.commit()
    assert found("ratownictwo") == ["Fundacja Rzeczna"] and found("wodne") == []


def test_a_deleted_organisation_leaves_the_index(make_organisation):
    organisation = make_organisation("Fundacja Znikająca")
    db.session.delete(organisation)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 0
