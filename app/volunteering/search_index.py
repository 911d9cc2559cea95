"""Volunteering opportunities in the service-wide search index (see app/search/__init__.py).

What is indexed: every *published* opportunity (title first; cause area, tags, skills, district
and organisation name as keywords; the description as body). Drafts and closed offers are
removed from the index.

When: ``follow_writes`` (an ``after_flush`` listener, app/search/sync.py) keeps the index in step
with every write of an opportunity (or of its organisation's name) in the same transaction,
whoever makes it: the organisation's forms, the demo loader, imports or a test factory. A
hand-placed call in each writer would be one more thing a new code path can forget.

Expiry: an offer stops being public by itself when its last shift ends or ``valid_until``
passes, with no write at all. Rather than a clean-up job racing the clock, the kind's
``visible_ids`` applies the public list's own condition (``browse.listed_condition``) at query
time, so the header search and the list always agree, and a changed date brings an offer back
without re-indexing.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.search.kinds import SearchKind, register_kind
from app.search.service import index_document, remove_document
from app.search.sync import ParentChange, follow_writes
from app.volunteering.models import Opportunity
from app.volunteering.vocab import DISTRICT_NAMES, KIND_LABELS, SPHERES_BY_CODE, TAG_LABELS

KIND = "opportunity"


def visible_opportunity_ids():
    from app.volunteering.browse import listed_condition

    return sa.select(Opportunity.id).where(listed_condition(utcnow()))


def reindex_opportunities() -> int:
    """Index every published opportunity (``flask reindex-search``); the caller commits."""
    count = 0
    query = sa.select(Opportunity).where(Opportunity.public())
    for opportunity in db.session.scalars(query.order_by(Opportunity.id)):
        index_opportunity(opportunity)
        count += 1
    return count


register_kind(
    SearchKind(
        KIND,
        _l("Oferty wolontariatu"),
        endpoint="volunteering.opportunity",
        url_arg="opportunity_id",
        list_endpoint="volunteering.index",
        order=10,
        visible_ids=visible_opportunity_ids,
        reindex=reindex_opportunities,
    )
)


def document_fields(opportunity: Opportunity) -> dict:
    # The index is in Polish whatever language the editing member reads.
    with force_locale("pl"):
        sphere = SPHERES_BY_CODE.get(opportunity.sphere)
        keywords = [
            *((str(sphere.label), str(sphere.short)) if sphere else ()),
            *(str(TAG_LABELS[code]) for code in opportunity.tag_codes),
            opportunity.skills,
            DISTRICT_NAMES.get(opportunity.district or "", ""),
            opportunity.organisation.name,
            str(KIND_LABELS[opportunity.kind.value]),
        ]
    return {
        "title": opportunity.title,
        "keywords": keywords,
        "body": [opportunity.description, opportunity.address],
        "summary": f"{opportunity.organisation.name} – {opportunity.description}"[:300],
        "url_key": str(opportunity.id),
    }


def index_opportunity(opportunity: Opportunity, session=None) -> None:
    """Index a published opportunity, remove any other from the index."""
    if opportunity.is_public:
        index_document(KIND, opportunity.id, session=session, **document_fields(opportunity))
    else:
        remove_document(KIND, opportunity.id, session=session)


follow_writes(
    Opportunity,
    index_opportunity,
    kind=KIND,
    parents=[
        ParentChange(
            Organisation,
            ("name",),
            lambda ids: sa.select(Opportunity).where(
                Opportunity.organisation_id.in_(ids),
                Opportunity.public(),
            ),
        )
    ],
)
