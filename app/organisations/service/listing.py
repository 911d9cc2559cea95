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
from app.search.service import compile_query, match_documents

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
    total: int
    organisations: list[Organisation]
    facets: dict[str, dict]
    page: int
    pages: int


def _conditions(filters: Filters, matched, skip: str | None = None) -> list:
    ids = Organisation.id
    conditions = [Organisation.hidden_at.is_(None)]  # hidden by staff (app/moderation)
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
        conditions.append(Organisation.verified_at.is_not(None))
    return conditions


def _facet_counts(column, org_column, filters: Filters, matched, facet: str) -> dict:
    """Counts per value of one facet, under every other active filter (values within a facet
    are alternatives, so selecting one does not zero the others)."""
    scope = sa.select(Organisation.id).where(*_conditions(filters, matched, skip=facet))
    rows = db.session.execute(
        sa.select(column, sa.func.count(sa.distinct(org_column)))
        .where(org_column.in_(scope))
        .group_by(column)
    ).all()
    return dict(rows)


def list_organisations(filters: Filters, page_size: int = PAGE_SIZE) -> Listing:
    matched = ranked = None
    compiled = compile_query(filters.q) if filters.q else None
    if compiled is not None:
        # Counting and facets only need which organisations match; the page needs the score.
        matched = match_documents(compiled, [KIND], scored=False).subquery()
        ranked = match_documents(compiled, [KIND]).subquery()
    conditions = _conditions(filters, matched)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Organisation).where(*conditions)
    )
    # The page joins the ranked matches instead of filtering by them as well: SQLite plans the
    # redundant "id IN (matches)" next to the join very badly (seconds at 100k organisations).
    query = sa.select(Organisation).where(*_conditions(filters, None))
    if ranked is not None:
        query = query.join(ranked, ranked.c.ref_id == Organisation.id).order_by(
            ranked.c.score.desc(), Organisation.name, Organisation.id
        )
    else:
        query = query.order_by(Organisation.name, Organisation.id)
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    # What a card shows, for the whole page at once (it was two queries per card).
    query = query.options(
        selectinload(Organisation.districts), selectinload(Organisation.competences)
    )
    organisations = list(db.session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    facets = {
        "area": _facet_counts(
            OrganisationArea.code, OrganisationArea.organisation_id, filters, matched, "area"
        ),
        "competence": _facet_counts(
            organisation_competences.c.competence_id,
            organisation_competences.c.organisation_id,
            filters,
            matched,
            "competence",
        ),
        "district": _facet_counts(
            OrganisationDistrict.code,
            OrganisationDistrict.organisation_id,
            filters,
            matched,
            "district",
        ),
        "offer": {
            OfferKind(k).value: v
            for k, v in _facet_counts(
                Offer.kind, Offer.organisation_id, filters, matched, "offer"
            ).items()
        },
        "verified": {
            "1": db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Organisation)
                .where(
                    *_conditions(filters, matched, skip="verified"),
                    Organisation.verified_at.is_not(None),
                )
            )
        },
    }
    return Listing(total, organisations, facets, page, pages)
