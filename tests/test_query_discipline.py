"""Query discipline: every main page sends a fixed number of SQL statements, whatever the number
of rows it shows (no N+1), and the heaviest queries use an index on PostgreSQL.

The pages are those ``bench/run`` times (bench/run_bench.py), on data from the benchmark's own
generator at two sizes: a few rows on every list, then full pages. The provider inbox is left to
its own tests (tests/spaces/), which bound it with its pagination.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.vocabularies.seed import seed as seed_vocabularies
from bench.generate import Scale, generate
from bench.run_bench import logged_in_clients, pages
from tests.helpers import TEST_DATABASE_URL, count_statements

SMALL = Scale(
    organisations=4, opportunities=5, shifts=10, providers=1, spaces=2, bookings=128, users=10
)
LARGE = Scale(
    organisations=45, opportunities=135, shifts=540, providers=2, spaces=45, bookings=3600, users=60
)
SKIPPED = {"provider inbox"}
# Every page is bounded: the last four that grew with the rows (volunteer dashboard 15 -> 57,
# organisation dashboard, week view, staff report) load what they show eagerly or in grouped
# queries since issue 14's fifth branch.
# One query per kind with hits (at most three): bounded by the kinds, not by the rows, but a
# kind without hits at the small size sends one fewer. A single ranked statement
# (row_number() over kinds) measured slower on SQLite, so it is not used.
PER_KIND = {"search", "search, two words"}

# The most statements each page may send (measured at the time of writing, plus two), and the
# same number at both sizes.
BOUNDS = {
    "home": 5,
    "volunteering list": 8,
    "volunteering list, logged in": 11,
    "volunteering list, page 5": 8,
    "volunteering list, filters": 8,
    "volunteering list, q": 9,
    "opportunity": 8,
    "search": 8,
    "search, two words": 7,
    "organisation list": 13,
    "organisation list, q + facets": 14,
    "organisation profile": 15,
    "spaces catalogue": 7,
    "spaces catalogue, filters": 7,
    "space week view": 18,  # photos, details, combined halls' parts and wholes since (16)
    "venue matching": 13,  # + the shared rooms of combined halls, the open rounds
    "venue matching, weekly x4": 13,
    "volunteer dashboard": 18,  # 16
    "organisation dashboard": 12,  # 10
    "my bookings": 10,
    "provider occupancy": 11,
    "staff console": 19,
    "staff report": 32,  # 30: grouped queries, whatever the period's bookings and sign-ups
    "feed: new opportunities (Atom)": 7,
    "feed: public volunteering calendar": 8,
    "feed: public space calendar": 6,
}


def wipe() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    seed_vocabularies(db.session.connection())  # reference data a migrated database holds
    db.session.commit()


def statements_per_page(app, scale: Scale) -> dict[str, int]:
    wipe()
    generate(db.session, scale)
    db.session.commit()
    clients = logged_in_clients(app, scale)
    counts = {}
    for what, who, path in pages():
        if what in SKIPPED:
            continue
        client = clients[who]
        assert client.get(path).status_code == 200, (what, path)  # warm: sessions, caches
        with count_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200, (what, path)
        counts[what] = len(statements)
    return counts


def test_every_main_page_sends_a_bounded_number_of_statements(app):
    small = statements_per_page(app, SMALL)
    large = statements_per_page(app, LARGE)
    grows = {
        what: (small[what], large[what])
        for what in small
        if large[what] != small[what] and what not in PER_KIND
    }
    assert not grows, f"statements grow with the rows shown (small, large): {grows}"
    over = {what: count for what, count in large.items() if count > BOUNDS[what]}
    assert not over, f"over the bound: {over}"
    assert set(BOUNDS) == set(large), "every page of bench/run has a bound here"


HEAVY_QUERIES = {
    # The upcoming shifts of a page of opportunities, and the next start per opportunity.
    "shifts of opportunities": (
        "SELECT * FROM volunteering_shifts WHERE opportunity_id IN (1, 2, 3) "
        "AND ends_at > now() AND cancelled_at IS NULL ORDER BY starts_at"
    ),
    # Venue matching: the slot-holding bookings of the candidate rooms around the wanted slot.
    "slot holders": (
        "SELECT * FROM bookings WHERE space_id IN (1, 2, 3) AND status IN ('approved', 'no_show') "
        "AND starts_at < now() + interval '3 days' AND blocked_until > now()"
    ),
    # The organisation list's page: by name.
    "organisations by name": "SELECT id FROM organisations ORDER BY name, id LIMIT 20",
    # Facets: organisations per district among the matches.
    "district facet": (
        "SELECT code, count(DISTINCT organisation_id) FROM organisation_districts "
        "WHERE organisation_id IN (1, 2, 3) GROUP BY code"
    ),
    # The volunteering list, newest first.
    "newest opportunities": (
        "SELECT id FROM volunteering_opportunities WHERE status = 'published' "
        "ORDER BY published_at DESC LIMIT 10"
    ),
    # Full-text matching (the GIN index of the search table).
    "search match": "SELECT doc_id FROM search_fts WHERE vector @@ to_tsquery('simple', 'senior:*')",
    # Spaces catalogue, page by name.
    "catalogue page": ("SELECT id FROM spaces WHERE active ORDER BY name, id LIMIT 24"),
}


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("what", sorted(HEAVY_QUERIES))
def test_heaviest_queries_use_an_index_on_postgresql(app, what):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL")
    # Small tables are read whole whatever the indexes; forbid that to see which index serves.
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(sa.text("EXPLAIN " + HEAVY_QUERIES[what])))
    assert "Index" in plan and "Seq Scan" not in plan, plan
