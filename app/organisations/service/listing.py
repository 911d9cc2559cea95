"""The public list of organisations: filters from the URL, full-text matches and facet counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.districts import DISTRICT_CODES
from app.extensions import db
from app.organisations.models import (
    Offer,
    OfferKind,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    organisation_competences,
)
from app.organisations.search_index import KIND
from app.organisations.spheres import SPHERE_CODES
from app.search.counting import capped, capped_count, count_cap
from app.search.service import compile_query, match_documents, ranked_hits

PAGE_SIZE = 20


@dataclass
class Filters:
    q: str = ""
    areas: list[str] = field(default_factory=list)
    competences: list[int] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    verified: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def ints(values):
            return [int(v) for v in values if v.isdigit()]

        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(
            q=args.get("q", "").strip()[:200],
            areas=[v for v in args.getlist("area") if v in SPHERE_CODES],
            competences=ints(args.getlist("competence")),
            districts=[v for v in args.getlist("district") if v in DISTRICT_CODES],
            offers=[v for v in args.getlist("offer") if v in {k.value for k in OfferKind}],
            verified=args.get("verified") in {"1", "on", "true"},
            page=page,
        )

    @property
    def active(self) -> bool:
        return bool(
            self.q
            or self.areas
            or self.competences
            or self.districts
            or self.offers
            or self.verified
        )


@dataclass
class Listing:
    """``total`` is exact up to the search cap; above it (``capped``: only with a query) it is
    cap + 1, the facets are not counted (None) and the pager stops at the cap's last page."""

    total: int
    organisations: list[Organisation]
    facets: dict[str, dict] | None
    page: int
    pages: int
    capped: bool = False


def _conditions(filters: Filters, matched, skip: str | None = None, ids=None) -> list:
    """The filters as conditions on ``Organisation``, or with ``ids`` on a column of
    organisation ids without joining the organisations (the ranked hits: joining them hashed all
    100,000 organisations for the hidden ones; the hidden are few, found by their index)."""
    if ids is None:
        ids = Organisation.id
        conditions = [Organisation.hidden_at.is_(None)]  # hidden by staff (app/moderation)
    else:
        hidden = sa.select(Organisation.id).where(Organisation.hidden_at.is_not(None))
        conditions = [ids.not_in(hidden)]
    if matched is not None:
        conditions.append(ids.in_(sa.select(matched.c.ref_id)))
    if filters.areas and skip != "area":
        conditions.append(
            ids.in_(
                sa.select(OrganisationArea.organisation_id).where(
                    OrganisationArea.code.in_(filters.areas)
                )
            )
        )
    if filters.competences and skip != "competence":
        conditions.append(
            ids.in_(
                sa.select(organisation_competences.c.organisation_id).where(
                    organisation_competences.c.competence_id.in_(filters.competences)
                )
            )
        )
    if filters.districts and skip != "district":
        conditions.append(
            ids.in_(
                sa.select(OrganisationDistrict.organisation_id).where(
                    OrganisationDistrict.code.in_(filters.districts)
                )
            )
        )
    if filters.offers and skip != "offer":
        conditions.append(
            ids.in_(sa.select(Offer.organisation_id).where(Offer.kind.in_(filters.offers)))
        )
    if filters.verified and skip != "verified":
        if ids is Organisation.id:
            conditions.append(Organisation.verified_at.is_not(None))
        else:
            verified = sa.select(Organisation.id).where(Organisation.verified_at.is_not(None))
            conditions.append(ids.in_(verified))
    return conditions


FACETS = (
    ("area", OrganisationArea.code, OrganisationArea.organisation_id),
    ("competence", organisation_competences.c.competence_id, organisation_competences.c.organisation_id),
    ("district", OrganisationDistrict.code, OrganisationDistrict.organisation_id),
    ("offer", Offer.kind, Offer.organisation_id),
)  # fmt: skip


def _facets(filters: Filters, matched) -> tuple[int, dict[str, dict]]:
    """The number of organisations listed and the counts per value of every facet, each under
    every other active filter (values within a facet are alternatives, so selecting one does
    not zero the others), in one statement: one grouped branch per facet and one for the total,
    sharing the full-text matches (a CTE, matched once per request instead of once per facet
    and once more for the total)."""
    branches = [
        sa.select(
            sa.literal(facet).label("facet"),
            sa.cast(column, sa.String).label("value"),
            sa.func.count(sa.distinct(org_column)).label("n"),
        )
        .where(org_column.in_(sa.select(Organisation.id).where(*_conditions(filters, matched, skip=facet))))
        .group_by(column)
        for facet, column, org_column in FACETS
    ]  # fmt: skip
    branches.append(
        sa.select(sa.literal("verified"), sa.literal("1"), sa.func.count(Organisation.id)).where(
            *_conditions(filters, matched, skip="verified"), Organisation.verified_at.is_not(None)
        )
    )
    branches.append(
        sa.select(sa.literal("total"), sa.literal(""), sa.func.count(Organisation.id)).where(
            *_conditions(filters, matched)
        )
    )
    facets: dict[str, dict] = {facet: {} for facet, *_ in FACETS}
    facets["verified"] = {"1": 0}
    total = 0
    for facet, value, n in db.session.execute(sa.union_all(*branches)):
        if facet == "total":
            total = n
            continue
        facets[facet][int(value) if facet == "competence" else value] = n
    return total, facets


def _ranked(compiled, filters: Filters, best: int):
    """(ref_id, score) of the matching organisations that can be among the ``best`` first under
    the filters (``ranked_hits``: scored only where their tiers can reach the page)."""

    def restrict(hits, tiered):
        return hits.where(*_conditions(filters, None, ids=tiered.c.ref_id))

    return ranked_hits(compiled, KIND, best, restrict=restrict)


def list_organisations(filters: Filters, page_size: int = PAGE_SIZE) -> Listing:
    matched = None
    compiled = compile_query(filters.q) if filters.q else None
    total = None
    if compiled is not None:
        # Counting and facets only need which organisations match; the page needs the score.
        hits = match_documents(compiled, [KIND], scored=False)
        matched = hits.cte("matched")
        # Counted from the hits up to the cap first (a third of 100,000 organisations may match a
        # common word): it stops after cap + 1 rows; above the cap the facets are not counted.
        hits = hits.subquery()
        total = capped_count(
            sa.select(Organisation.id)
            .join(hits, hits.c.ref_id == Organisation.id)
            .where(*_conditions(filters, None))
        )
    if total is not None and capped(total):
        facets = None
        pages = max(1, count_cap() // page_size)
    else:
        total, facets = _facets(filters, matched)
        pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    # The page joins the ranked matches instead of filtering by them as well: SQLite plans the
    # redundant "id IN (matches)" next to the join very badly (seconds at 100k organisations).
    query = sa.select(Organisation).where(*_conditions(filters, None))
    offset = (page - 1) * page_size
    if compiled is not None:
        # The page's hits are picked inside (the name by a lookup per ranked hit), so the join
        # to the organisations sees 20 rows: joined to all ranked hits, PostgreSQL expected
        # thousands and merge-joined every organisation (50 ms at 100,000).
        ranked = _ranked(compiled, filters, page * page_size)
        name = sa.select(Organisation.name).where(Organisation.id == ranked.c.ref_id)
        page_hits = (
            sa.select(ranked.c.ref_id, ranked.c.score)
            .order_by(ranked.c.score.desc(), name.scalar_subquery(), ranked.c.ref_id)
            .offset(offset)
            .limit(page_size)
            .subquery()
        )
        query = query.join(page_hits, page_hits.c.ref_id == Organisation.id).order_by(
            page_hits.c.score.desc(), Organisation.name, Organisation.id
        )
        offset = 0
    else:
        query = query.order_by(Organisation.name, Organisation.id)
    # What a card shows, for the whole page at once (it was two queries per card).
    query = query.options(
        selectinload(Organisation.districts), selectinload(Organisation.competences)
    )
    organisations = list(db.session.scalars(query.offset(offset).limit(page_size)))
    return Listing(total, organisations, facets, page, pages, capped=facets is None)
