"""Search scores term frequencies only for hits that can be among the best (issue 14): the same
hits, in the same order, as scoring every hit; on PostgreSQL the plan shows the others left out
before the string functions run."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.search.models import SearchDocument
from app.search.service import match_documents, search, tie_break
from bench.generate import generate
from tests.helpers import TEST_DATABASE_URL
from tests.test_query_discipline import LARGE, wipe

QUERIES = ["fundacja", "seniorzy", "dzieci", "sala", "fundacja dzieci", "rubinkowo"]


@pytest.fixture
def generated(app):
    wipe()
    generate(db.session, LARGE)
    db.session.commit()


def test_the_best_hits_are_those_of_scoring_every_hit(generated):
    docs = SearchDocument.__table__
    compared = 0
    for query in QUERIES:
        _counts, hits = search(query)
        for kind, found in hits.items():
            every = match_documents(query, [kind]).subquery()
            expected = db.session.execute(
                sa.select(docs.c.ref_id, every.c.score)
                .join(every, every.c.id == docs.c.id)
                .order_by(every.c.score.desc(), tie_break(), docs.c.id)
                .limit(10)
            ).all()
            assert [(h.ref_id, h.score) for h in found] == [tuple(r) for r in expected], query
            compared += len(found)
    assert compared > 30


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_only_the_best_tiers_are_scored_on_postgresql(generated):
    sent = []

    def seen(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        counts, _hits = search("fundacja")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert counts["organisation"] > 10
    statement, parameters = next(
        (s, p) for s, p in sent if s.startswith("WITH ") and "search_heads" in s
    )
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Filter: (tiers >= COALESCE(" in plan, plan
    assert "Rows Removed by Filter: 0\n" not in plan.split("Filter: (tiers >= COALESCE(")[1], plan
    # Migration 0031: the hits of the title and keyword tiers come from the narrow search_heads;
    # with ten of them the branch ranking every match of the full vectors does not run.
    assert "on search_heads" in plan, plan
    assert re.search(r"One-Time Filter: \(\(\$\d+ IS NULL\) AND \(\$\d+ IS NULL\)\)", plan), plan
    assert re.search(r"Seq Scan on search_fts .*\(never executed\)", plan), plan
    # With ten title hits the cut-off is among them: the keyword hits (every head row's keywords
    # for a common word, a scan of the table at 100,000 organisations) are never looked for.
    assert re.search(r"CTE title_organisation\n\s+->.*\(actual time", plan), plan
    assert re.search(r"CTE head_organisation\n\s+->.*\(never executed\)", plan), plan
    # The documents are read only for the hits that are scored (a lookup each, no join of all).
    assert "Merge Join" not in plan and "Hash Join" not in plan, plan


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_counting_per_kind_needs_no_documents_on_postgresql(app):
    """The match and the kind are answered by search_fts alone (its GIN index on kind and
    vector), without joining search_documents."""
    statement = match_documents("fundacja", ["organisation"], scored=False).subquery()
    compiled = (
        sa.select(sa.func.count())
        .select_from(statement)
        .compile(db.engine, compile_kwargs={"render_postcompile": True})
    )
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # tiny table: force the index
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.execute("EXPLAIN " + str(compiled), compiled.params)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    # The GIN index on (kind, vector) at scale; on these 45 rows the btree on kind (migration
    # 0032) may be cheaper. Either way search_fts alone answers.
    assert "ix_search_fts_kind_vector" in plan or "ix_search_fts_kind " in plan, plan
    assert "search_documents" not in plan, plan


def test_the_organisation_list_pages_are_those_of_scoring_every_hit(generated):
    from werkzeug.datastructures import MultiDict

    from app.organisations.models import Organisation
    from app.organisations.service import Filters, list_organisations

    for args in ({"q": "fundacja"}, {"q": "seniorzy dzieci"}, {"q": "fundacja", "verified": "1"}):
        every = match_documents(args["q"], ["organisation"]).subquery()
        query = sa.select(Organisation.id).join(every, every.c.ref_id == Organisation.id)
        if "verified" in args:
            query = query.where(Organisation.verified_at.is_not(None))
        expected = list(
            db.session.scalars(
                query.order_by(every.c.score.desc(), Organisation.name, Organisation.id)
            )
        )
        for page in (1, 2) if len(expected) > 10 else (1,):
            listing = list_organisations(
                Filters.from_args(MultiDict({**args, "page": str(page)})), 10
            )
            assert [o.id for o in listing.organisations] == expected[(page - 1) * 10 : page * 10], (
                args
            )
            assert listing.total == len(expected)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_head_hits_are_found_by_both_vector_indexes_on_postgresql(generated):
    """The title and keyword hits come from one index scan per column, each on its vector
    (migration 0032: with the kind in the indexes and both tests in one condition, the plan used
    only the kind column, every row, or scanned the table)."""
    from app.search.service import compile_query

    statement = match_documents(
        compile_query("zwierzeta"), ["organisation"], scored="tiers", within="head"
    )
    compiled = statement.compile(db.engine, compile_kwargs={"render_postcompile": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # tiny table: force the index
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.execute("EXPLAIN " + str(compiled), compiled.params)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    conditions = re.findall(r"Index Cond: (.*)", plan)
    assert len(conditions) == 2, plan
    assert "ix_search_heads_title" in plan and "ix_search_heads_keywords" in plan, plan
    assert "title_vector @@" in conditions[0] + conditions[1], plan
    assert "keywords_vector @@" in conditions[0] + conditions[1], plan


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="EXPLAIN plans are checked on PostgreSQL")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_kind_without_documents_is_counted_by_its_btree_on_postgresql(generated):
    """Migration 0032: a kind with no document is found empty by the btree on search_fts.kind,
    not by reading a common word's posting list in the GIN index on (kind, vector)."""
    db.session.execute(sa.text("ANALYZE search_fts"))
    limited = match_documents("fundacja", ["no-such-kind"], scored=False).limit(1001).subquery()
    compiled = (
        sa.select(sa.func.count())
        .select_from(limited)
        .compile(db.engine, compile_kwargs={"render_postcompile": True})
    )
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.execute("EXPLAIN " + str(compiled), compiled.params)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index (Only )?Scan using ix_search_fts_kind on search_fts", plan), plan


def test_every_branch_of_the_head_cut_off_keeps_the_best_hits(generated):
    """``ranked_hits`` for page sizes on either side of the number of title hits and of head
    hits: with enough title hits the cut-off is taken among them alone (the keyword hits are not
    looked for), else among every head hit, else among every hit. Each must give the hits and
    scores of scoring every hit; on PostgreSQL each of the three cases is met."""
    from app.search.service import compile_query, ranked_hits

    docs = SearchDocument.__table__
    postgres = db.session.get_bind().dialect.name == "postgresql"
    cases = set()
    for query in QUERIES:
        compiled = compile_query(query)
        every = match_documents(compiled, ["organisation"]).subquery()
        expected = db.session.execute(
            sa.select(docs.c.ref_id, every.c.score)
            .join(every, every.c.id == docs.c.id)
            .order_by(every.c.score.desc(), tie_break(), docs.c.id)
        ).all()
        if postgres:
            found = {
                within: db.session.scalar(
                    sa.select(sa.func.count()).select_from(
                        match_documents(
                            compiled, ["organisation"], scored="tiers", within=within
                        ).subquery()
                    )
                )
                for within in ("title", "head")
            }
        for best in (1, 2, 5, 10, 20, 40):
            ranked = ranked_hits(compiled, "organisation", best)
            sort_key = sa.collate(ranked.c.sort_key, "C") if postgres else ranked.c.sort_key
            rows = db.session.execute(
                sa.select(ranked.c.ref_id, ranked.c.score)
                .order_by(ranked.c.score.desc(), sort_key, ranked.c.id)
                .limit(best)
            ).all()
            assert [tuple(r) for r in rows] == [tuple(r) for r in expected[:best]], (query, best)
            if postgres:
                cases.add(
                    "title"
                    if found["title"] >= best
                    else "head"
                    if found["head"] >= best
                    else "all"
                )
    if postgres:
        assert cases == {"title", "head", "all"}, cases
