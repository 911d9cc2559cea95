"""Organisations in the service-wide search index (see app/search/__init__.py).

Indexed: every organisation (its name first; competences, areas, tags, offers, districts and
the legal form as keywords; descriptions, projects and the address as body). ``follow_writes``
keeps the entry in step with every write, whoever makes it (a member's form, the CSV import,
the demo loader), in the same transaction as the change, as volunteering opportunities and
spaces do: a profile, its projects and offers, or a competence renamed by city staff.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.organisations.models import (
    LEGAL_FORM_LABELS,
    OFFER_KIND_LABELS,
    Competence,
    Offer,
    Organisation,
    Project,
    organisation_competences,
)
from app.search.kinds import SearchKind, register_kind
from app.search.service import index_document, remove_document
from app.search.sync import ParentChange, follow_writes

KIND = "organisation"

register_kind(
    SearchKind(
        KIND,
        _l("Organizacje"),
        endpoint="organisations.profile",
        url_arg="slug",
        list_endpoint="organisations.index",
        order=20,
        reindex=lambda: reindex_organisations(),
    )
)


def document_fields(organisation: Organisation) -> dict:
    """Name first, then competences, areas, tags, offers and districts, then descriptions."""
    # The index is in Polish whatever language the editing member reads.
    with force_locale("pl"):
        keywords = [
            *(c.name for c in organisation.competences),
            *organisation.area_labels,
            *organisation.tag_list,
            *(f"{OFFER_KIND_LABELS[o.kind]} {o.title}" for o in organisation.offers),
            *organisation.district_names,
            str(LEGAL_FORM_LABELS[organisation.legal_form]),
        ]
    body = [
        organisation.short_description,
        organisation.description,
        *(f"{p.title} {p.funder} {p.description}" for p in organisation.projects),
        *(o.description for o in organisation.offers),
        organisation.street,
        organisation.krs or "",
    ]
    return {
        "title": organisation.name,
        "keywords": keywords,
        "body": body,
        "summary": organisation.short_description,
        "url_key": organisation.slug,
    }


def index_organisation(organisation: Organisation, session=None) -> None:
    """Index a profile, remove one hidden by staff."""
    if organisation.hidden_at is None:
        index_document(KIND, organisation.id, session=session, **document_fields(organisation))
    else:
        remove_document(KIND, organisation.id, session=session)


def reindex_organisations() -> int:
    """Index every organisation (``flask reindex-search``); the caller commits."""
    count = 0
    for organisation in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        index_organisation(organisation)
        count += 1
    return count


def _organisations_of(model):
    """The organisations owning the changed children (projects, offers) with these ids."""

    def select(ids: list[int]):
        owners = sa.select(model.organisation_id).where(model.id.in_(ids))
        return sa.select(Organisation).where(Organisation.id.in_(owners))

    return select


def _organisations_with_competences(ids: list[int]):
    holders = sa.select(organisation_competences.c.organisation_id).where(
        organisation_competences.c.competence_id.in_(ids)
    )
    return sa.select(Organisation).where(Organisation.id.in_(holders))


follow_writes(
    Organisation,
    index_organisation,
    kind=KIND,
    parents=[
        ParentChange(Competence, ("name",), _organisations_with_competences),
        ParentChange(Project, ("title", "funder", "description"), _organisations_of(Project)),
        ParentChange(Offer, ("kind", "title", "description"), _organisations_of(Offer)),
    ],
)
