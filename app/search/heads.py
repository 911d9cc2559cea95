"""PostgreSQL: the hits of the title and keyword tiers, found in the narrow ``search_heads`` rows
(migrations 0031, 0032) before any full vector or document is read (``ranked_hits``)."""

from __future__ import annotations

import sqlalchemy as sa

from app.search.kinds import KINDS
from app.search.scoring import BODY_TIER, KEYWORDS_TIER, TITLE_TIER

HEADS = sa.table(
    "search_heads", sa.column("doc_id"), sa.column("kind"), sa.column("ref_id"),
    sa.column("title_vector"), sa.column("keywords_vector"),
)  # fmt: skip


def visible(statement, kinds, kind_column, ref_column):
    """Documents of a kind with ``visible_ids`` match only while visible."""
    for kind in KINDS.values():
        if kind.visible_ids is not None and (kinds is None or kind.name in kinds):
            statement = statement.where(
                sa.or_(kind_column != kind.name, ref_column.in_(kind.visible_ids()))
            )
    return statement


def head_hits(kinds, matches):
    """(id, kind, ref_id, score) of the hits of the title or keyword tier, the score being those
    tiers alone (the same terms as the A and B weights of the full vector). One branch per
    column, so that each is answered by its own GIN index: with both tests in one condition the
    planner used only the kind (all 100,000 rows) or scanned the table, 40-100 ms for no hit."""
    branches = []
    for column, tier in (
        (HEADS.c.title_vector, TITLE_TIER),
        (HEADS.c.keywords_vector, KEYWORDS_TIER),
    ):
        branch = sa.select(
            HEADS.c.doc_id, HEADS.c.kind, HEADS.c.ref_id, sa.literal(tier).label("tier")
        )
        branch = branch.where(matches(column))
        branches.append(
            branch.where(HEADS.c.kind.in_(list(kinds))) if kinds is not None else branch
        )
    arms = sa.union_all(*branches).subquery("head_arms")
    statement = sa.select(
        arms.c.doc_id.label("id"),
        arms.c.kind,
        arms.c.ref_id,
        sa.func.sum(arms.c.tier).label("score"),
    ).group_by(arms.c.doc_id, arms.c.kind, arms.c.ref_id)
    return visible(statement, kinds, arms.c.kind, arms.c.ref_id)


def title_hits(kinds, matches):
    """(id, kind, ref_id, score) of the hits of the title tier alone, the score being their
    head tiers (title, plus keywords when those match too, tested on the same narrow row)."""
    score = TITLE_TIER + sa.case((matches(HEADS.c.keywords_vector), KEYWORDS_TIER), else_=0)
    statement = sa.select(
        HEADS.c.doc_id.label("id"), HEADS.c.kind, HEADS.c.ref_id, score.label("score")
    ).where(matches(HEADS.c.title_vector))
    if kinds is not None:
        statement = statement.where(HEADS.c.kind.in_(list(kinds)))
    return visible(statement, kinds, HEADS.c.kind, HEADS.c.ref_id)


def head_first(compiled, kind, best, every, restrict, session):
    """The hits that can be among the ``best`` first, with their tiers. The head tiers (title
    and keywords, even numbers) give a cut-off, and only hits at or above it are tested for the
    body tier on the full vector (one lookup each), since a hit of lower head tiers is at least
    2 below it, more than the body tier adds.

    With at least ``best`` title hits the cut-off is among them (a keyword-only hit has 2, a
    title hit at least 4), so the keyword index is not read at all: a common word's keyword
    hits were a scan of every head row (the planner expects too many for the index), ~40 ms
    at 100,000 organisations. Otherwise every head hit is ranked; with fewer than ``best`` of
    those, every hit. One-time filters: only one branch runs."""
    from app.search.service import match_documents

    def restricted(within: str, name: str):
        found = match_documents(compiled, [kind], scored="tiers", within=within, session=session)
        found = found.subquery()
        selected = sa.select(found.c.id, found.c.ref_id, found.c.score.label("head"))
        return (restrict(selected, found) if restrict else selected).cte(name)

    def cutoff(head):
        ordered = sa.select(head.c.head).order_by(head.c.head.desc())
        return ordered.offset(best - 1).limit(1).scalar_subquery()

    fts = sa.table("search_fts", sa.column("doc_id"), sa.column("vector"))
    body = sa.func.to_tsquery("simple", compiled.tsquery("C"))

    def with_body(head):
        body_tier = (
            sa.select(sa.case((fts.c.vector.op("@@")(body), BODY_TIER), else_=0))
            .where(fts.c.doc_id == head.c.id)
            .scalar_subquery()
        )
        return sa.select(head.c.id, head.c.ref_id, (head.c.head + body_tier).label("tiers"))

    titled = restricted("title", f"title_{kind}")
    head = restricted("head", f"head_{kind}")
    no_titles = cutoff(titled).is_(None)
    return sa.union_all(
        with_body(titled).where(sa.not_(no_titles), titled.c.head >= cutoff(titled)),
        with_body(head).where(no_titles, cutoff(head).is_not(None), head.c.head >= cutoff(head)),
        sa.select(every).where(no_titles, cutoff(head).is_(None)),
    ).cte(f"hits_{kind}")
