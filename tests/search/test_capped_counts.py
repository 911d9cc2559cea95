"""Hit counts above the cap (SEARCH_COUNT_CAP) are "more than <cap>" (issue 14: at 100,000
organisations counting every hit of a common word was most of a search): the search page, the
organisation list and its pager say so; below the cap counts and facets stay exact."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.organisations.models import (
    Offer,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    organisation_competences,
)
from app.organisations.service import Filters, list_organisations
from app.search.service import match_documents, search
from bench.generate import generate
from tests.helpers import TEST_DATABASE_URL
from tests.test_query_discipline import LARGE, wipe

# "toruń" matches 30 of the 45 generated organisations, "rubinkowo" 6.
CAP = 25


@pytest.fixture
def app_config() -> dict:
    return {"SEARCH_COUNT_CAP": CAP}


@pytest.fixture
def generated(app):
    wipe()
    generate(db.session, LARGE)
    db.session.commit()


def exact_count(query: str, kind: str) -> int:
    every = match_documents(query, [kind], scored=False).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(every))


def test_counts_are_exact_up_to_the_cap_and_cap_plus_one_above(generated):
    seen_capped = seen_exact = 0
    for query in ("toruń", "rubinkowo", "fundacja", "pomoc", "sala"):
        counts, _hits = search(query)
        for kind in ("organisation", "opportunity", "space"):
            exact = exact_count(query, kind)
            assert counts.get(kind, 0) == min(exact, CAP + 1), (query, kind)
            seen_capped += exact > CAP
            seen_exact += 0 < exact <= CAP
    assert seen_capped >= 3 and seen_exact >= 5


def test_the_results_page_says_more_than_the_cap(generated, client):
    page = client.get("/szukaj/?q=toru%C5%84").text
    # organisations 30 and opportunities 48 are capped at 25 each, spaces 13 are exact.
    assert "ponad 63 wyników dla „toruń”" in page, page
    assert page.count('<span class="badge">ponad 25</span>') == 2, page
    assert '<span class="badge">13</span>' in page
    assert "Zobacz wszystkie (ponad 25)" in page
    exact = client.get("/szukaj/?q=rubinkowo").text
    assert "8 wyników dla „rubinkowo”" in exact and "ponad" not in exact


def test_the_organisation_list_is_capped_with_its_pager(generated, client):
    page = client.get("/organizacje/?q=toru%C5%84").text
    assert "ponad 25 organizacji" in page
    assert "Przy ponad 25 wynikach nie liczymy organizacji przy filtrach" in page
    assert 'class="facet-count"' not in page  # no number is shown that was not counted
    # Every option of a facet is offered when none is counted.
    assert page.count('name="district"') > 5
    # Pages stop at the cap: with 10 a page, 2 pages of the 30 matches, page 3 is page 2.
    every = match_documents("toruń", ["organisation"]).subquery()
    expected = list(
        db.session.scalars(
            sa.select(Organisation.id)
            .join(every, every.c.ref_id == Organisation.id)
            .order_by(every.c.score.desc(), Organisation.name, Organisation.id)
        )
    )
    assert len(expected) == 30
    for asked, shown in ((1, 1), (2, 2), (3, 2)):
        listing = list_organisations(
            Filters.from_args(MultiDict({"q": "toruń", "page": asked})), 10
        )
        assert listing.capped and listing.total == CAP + 1 and listing.facets is None
        assert (listing.page, listing.pages) == (shown, 2)
        assert [o.id for o in listing.organisations] == expected[(shown - 1) * 10 : shown * 10]


def test_the_pager_of_a_capped_list_stops_at_the_cap(app, client):
    from app.organisations import service as orgs

    for number in range(1, 43):
        orgs.create_organisation(None, name=f"Klub Pagera {number:02d}")
    app.config["SEARCH_COUNT_CAP"] = 40  # 42 matches, 20 a page: the first 2 pages are shown
    first = client.get("/organizacje/?q=pagera").text
    assert "ponad 40 organizacji" in first and "Strona 1 z pierwszych 2" in first
    assert 'rel="next"' in first
    last = client.get("/organizacje/?q=pagera&page=3").text
    assert "Strona 2 z pierwszych 2" in last and 'rel="next"' not in last and 'rel="prev"' in last
    app.config["SEARCH_COUNT_CAP"] = 1000
    exact = client.get("/organizacje/?q=pagera&page=3").text
    assert "42 organizacje" in exact and "Strona 3 z 3" in exact


def expected_facets(filters: Filters) -> tuple[int, dict]:
    """The facets counted in Python from the matches and the organisations' rows."""
    matched = set(
        db.session.scalars(
            sa.select(
                match_documents(filters.q, ["organisation"], scored=False).subquery().c.ref_id
            )
        )
    )
    shown = set(
        db.session.scalars(sa.select(Organisation.id).where(Organisation.hidden_at.is_(None)))
    )
    verified = set(
        db.session.scalars(sa.select(Organisation.id).where(Organisation.verified_at.is_not(None)))
    )
    pairs = {
        "area": db.session.execute(sa.select(OrganisationArea.organisation_id, OrganisationArea.code)).all(),
        "competence": db.session.execute(
            sa.select(organisation_competences.c.organisation_id, organisation_competences.c.competence_id)
        ).all(),
        "district": db.session.execute(
            sa.select(OrganisationDistrict.organisation_id, OrganisationDistrict.code)
        ).all(),
        "offer": db.session.execute(sa.select(Offer.organisation_id, Offer.kind)).all(),
    }  # fmt: skip
    selected = {"area": filters.areas, "competence": filters.competences,
                "district": filters.districts, "offer": filters.offers}  # fmt: skip

    def passing(skip: str | None) -> set[int]:
        ids = matched & shown
        for facet, values in selected.items():
            if values and facet != skip:
                ids &= {o for o, v in pairs[facet] if getattr(v, "value", v) in values}
        if filters.verified and skip != "verified":
            ids &= verified
        return ids

    facets = {}
    for facet, rows in pairs.items():
        within = passing(facet)
        counts = Counter(getattr(v, "value", v) for o, v in set(rows) if o in within)
        facets[facet] = dict(counts)
    facets["verified"] = {"1": len(passing("verified") & verified)}
    return len(passing(None)), facets


@pytest.mark.parametrize(
    "args",
    [
        {"q": "rubinkowo"},
        {"q": "fundacja", "verified": "1"},
        {"q": "pomoc"},
        {"q": "seniorzy dzieci"},
    ],
)
def test_facets_below_the_cap_are_exact(generated, args):
    filters = Filters.from_args(MultiDict(args))
    listing = list_organisations(filters)
    total, facets = expected_facets(filters)
    assert 0 < total <= CAP and not listing.capped
    assert listing.total == total
    assert {f: {k: n for k, n in v.items() if n} for f, v in listing.facets.items()} == {
        f: {k: n for k, n in v.items() if n} for f, v in facets.items()
    }


def test_facets_with_a_filter_below_the_cap_are_exact(generated):
    """A capped query narrowed by a filter under the cap is counted again, exactly."""
    area = db.session.scalar(sa.select(OrganisationArea.code).limit(1))
    filters = Filters.from_args(MultiDict({"q": "toruń", "area": area}))
    listing = list_organisations(filters)
    total, facets = expected_facets(filters)
    assert total <= CAP and not listing.capped and listing.total == total
    assert listing.facets["area"] == {k: n for k, n in facets["area"].items() if n}


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_capped_count_stops_at_the_cap_on_postgresql(generated):
    sent = []

    def seen(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        counts, _hits = search("toruń", ["organisation"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert counts == {"organisation": CAP + 1}
    statement, parameters = next((s, p) for s, p in sent if "count(*)" in s)
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    limit = re.search(r"Limit .*\(actual time=\S+ rows=(\d+) ", plan)
    assert limit and int(limit.group(1)) == CAP + 1, plan


def test_a_hidden_organisation_leaves_the_ranked_list(generated, staff):
    """The ranked hits leave out organisations hidden by staff without joining every
    organisation (a NOT IN of the hidden ones): the page is the next best instead."""
    from app.moderation.service.hiding import hide

    filters = Filters.from_args(MultiDict({"q": "rubinkowo"}))
    before = list_organisations(filters, 3)
    first = before.organisations[0]
    hide(first, "Test ukrycia", staff)
    db.session.commit()
    after = list_organisations(filters, 3)
    assert after.total == before.total - 1
    assert first not in after.organisations
    assert [o.id for o in after.organisations[:2]] == [o.id for o in before.organisations[1:3]]
