"""The search layer every domain feeds: ``index_document`` / ``remove_document`` keep the index
in sync, ``match_documents`` answers queries with the same results on SQLite and PostgreSQL.

Ranking is by tiers, identical on both databases: a document whose title (name) matches the whole
query comes first, then one whose keywords (competences, areas, tags) match, then the body
(descriptions); within a tier, by how often the query's words occur (weighted by field the same
way), and only then alphabetically. Alphabetical ties used to push a sports club 16th for "sport"
behind every profile that mentioned the word once. Every query word may match as a prefix (typing),
by lemma or stem (inflection), or, when the word is unknown to the index, by a vocabulary term
one typo away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.search.counting import count_cap
from app.search.heads import head_first, head_hits, title_hits, visible
from app.search.kinds import KINDS
from app.search.models import SearchDocument, SearchTerm
from app.search.scoring import BODY_TIER, KEYWORDS_TIER, TITLE_TIER, with_frequency
from app.search.text import (
    MIN_STEM,
    damerau_distance_at_most_one,
    fold,
    index_terms,
    query_words,
    stem,
    words,
)

MAX_CORRECTIONS = 8


def _text(value: str | Iterable[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return "\n".join(v for v in value if v)


def _insert(session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def index_document(
    kind: str,
    ref_id: int,
    *,
    title: str,
    keywords: str | Iterable[str] = "",
    body: str | Iterable[str] = "",
    summary: str = "",
    url_key: str = "",
    session=None,
) -> None:
    """Add or replace the index entry of one object. Call it whenever the object changes
    (in the same transaction); the caller commits."""
    session = session or db.session
    values = document_values(
        kind,
        ref_id,
        title=title,
        keywords=keywords,
        body=body,
        summary=summary,
        url_key=url_key,
        session=session,
    )
    insert = _insert(session)
    statement = insert(SearchDocument).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "ref_id"],
        set_={k: statement.excluded[k] for k in values if k not in {"kind", "ref_id"}},
    )
    session.execute(statement)
    add_terms(values, session=session)


def document_values(
    kind, ref_id, *, title, keywords="", body="", summary="", url_key="", session=None
) -> dict:
    """The row ``index_document`` writes (also used by bulk loaders such as the benchmark).
    Lemmas come from ``search_lemmas`` (see ``app.search.lemmas``)."""
    from app.db import utcnow
    from app.search.lemmas import lemmas_for_index

    session = session or db.session
    keywords, body = _text(keywords), _text(body)
    every_word = {*words(title), *words(keywords), *words(body)}
    lemmas = lemmas_for_index(session, every_word, kind=kind, ref_id=ref_id)
    return {
        "kind": kind,
        "ref_id": ref_id,
        "title": title[:300],
        "sort_key": fold(title)[:300],
        "summary": (summary or "")[:500],
        "url_key": url_key,
        "title_terms": index_terms(title, lemmas=lemmas),
        "keywords_terms": index_terms(keywords, lemmas=lemmas),
        "body_terms": index_terms(body, lemmas=lemmas),
        "updated_at": utcnow(),
    }


def add_terms(rows: dict | Iterable[dict], *, session=None) -> None:
    """Record the vocabulary of indexed rows (for typo corrections)."""
    session = session or db.session
    if isinstance(rows, dict):
        rows = [rows]
    terms: set[str] = set()
    for row in rows:
        for column in ("title_terms", "keywords_terms", "body_terms"):
            terms.update(t for t in row[column].split() if 2 <= len(t) <= 100)
    if not terms:
        return
    insert = _insert(session)
    values = [{"term": t, "head": t[:2], "tail": t[-2:]} for t in sorted(terms)]
    for start in range(0, len(values), 5000):
        session.execute(
            insert(SearchTerm).values(values[start : start + 5000]).on_conflict_do_nothing()
        )


def remove_document(kind: str, ref_id: int, *, session=None) -> None:
    session = session or db.session
    session.execute(
        sa.delete(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.ref_id == ref_id
        )
    )


# --- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    term: str
    prefix: bool = False


@dataclass
class CompiledQuery:
    """Per query word, the terms that satisfy it (any of them); all words must be satisfied."""

    groups: list[list[Alternative]]

    def fts5(self, columns: str | None = None) -> str:
        expression = " AND ".join(
            "(" + " OR ".join(f'"{a.term}"' + ("*" if a.prefix else "") for a in group) + ")"
            for group in self.groups
        )
        return f"{{{columns}}} : ({expression})" if columns else expression

    def tsquery(self, weight: str = "") -> str:
        def lexeme(a: Alternative) -> str:
            marks = ("*" if a.prefix else "") + weight
            return f"'{a.term}'" + (f":{marks}" if marks else "")

        return " & ".join("(" + " | ".join(lexeme(a) for a in group) + ")" for group in self.groups)


def _vocabulary_near(session, surface: str, extra: Iterable[str]) -> list[str]:
    table = SearchTerm.__table__
    condition = sa.or_(
        table.c.head == surface[:2], table.c.tail == surface[-2:], table.c.term.in_(list(extra))
    )
    return list(session.scalars(sa.select(table.c.term).where(condition)))


def compile_query(query: str, *, session=None) -> CompiledQuery | None:
    from app.search.lemmas import known

    session = session or db.session
    groups: list[list[Alternative]] = []
    query_list = query_words(query)
    # The lemma table of the index's vocabulary, never the dictionary: a word not there has no
    # lemma in the index, so its surface, stem and typo corrections are all it can match by.
    lemmas = known(session, query_list) if query_list else {}
    for word in query_list:
        surface = fold(word)
        alternatives = [Alternative(surface, prefix=len(surface) >= 3)]
        if not surface.isdigit():
            word_lemma = lemmas.get(word)
            if word_lemma != surface and word_lemma:
                alternatives.append(Alternative(word_lemma))
            word_stem = stem(surface)
            if word_stem != surface:
                alternatives.append(Alternative(word_stem, prefix=len(word_stem) >= MIN_STEM))
        if len(surface) >= 4 and not surface.isdigit():
            alternatives += _corrections(session, surface, alternatives)
        groups.append(alternatives)
    return CompiledQuery(groups) if groups else None


def _corrections(session, surface: str, alternatives: list[Alternative]) -> list[Alternative]:
    """Terms one typo away, only for a word nothing in the index starts with."""
    vocabulary = _vocabulary_near(session, surface, [a.term for a in alternatives])
    for term in vocabulary:
        for a in alternatives:
            if term == a.term or (a.prefix and term.startswith(a.term)):
                return []
    near = sorted(t for t in vocabulary if damerau_distance_at_most_one(surface, t))
    return [Alternative(t) for t in near[:MAX_CORRECTIONS]]


def match_documents(
    query: str | CompiledQuery,
    kinds: Iterable[str] | None = None,
    *,
    scored: bool | str = True,
    within: str = "all",
    session=None,
):
    """A SELECT of (id, kind, ref_id, score) for documents matching ``query``, or None when the
    query has no words. Join it to a domain's own query and order by ``score`` desc, then
    ``tie_break()``. With ``scored=False`` the score is a constant: cheaper, for counting and
    filtering; with ``scored="tiers"`` only the tiers (which columns match), without the term
    frequencies (see ``search``). Pass a ``compile_query`` result to reuse it across several statements.
    Documents of a kind with ``visible_ids`` (see ``SearchKind``) match only while visible.
    ``within="head"`` (PostgreSQL only) selects only the hits whose title or keywords match
    the whole query: every hit of tiers ≥ KEYWORDS_TIER, and no other; ``within="title"`` only
    those whose title does (see ``app.search.heads``, ``ranked_hits``)."""
    session = session or db.session
    compiled = query if isinstance(query, CompiledQuery) else compile_query(query, session=session)
    if compiled is None:
        return None
    docs = SearchDocument.__table__
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # search_fts carries kind and ref_id (migration 0031): matching, counting and the tiers
        # read it alone; the documents are joined only for the term frequencies.
        fts = sa.table(
            "search_fts", sa.column("doc_id"), sa.column("kind"), sa.column("ref_id"),
            sa.column("vector"),
        )  # fmt: skip

        def matches(column=fts.c.vector, weight: str = ""):
            return column.op("@@")(sa.func.to_tsquery("simple", compiled.tsquery(weight)))

        if within == "head":
            return head_hits(kinds, matches)
        if within == "title":
            return title_hits(kinds, matches)
        tiers = (
            sa.case((matches(weight="A"), TITLE_TIER), else_=0)
            + sa.case((matches(weight="B"), KEYWORDS_TIER), else_=0)
            + sa.case((matches(weight="C"), BODY_TIER), else_=0)
        )
        condition = matches()
        score = _score(tiers, compiled, docs, postgres, scored)
        statement = sa.select(
            fts.c.doc_id.label("id"), fts.c.kind, fts.c.ref_id, score.label("score")
        ).where(condition)
        if scored is True:
            statement = statement.join(docs, docs.c.id == fts.c.doc_id)
        kind_column, ref_column = fts.c.kind, fts.c.ref_id
    else:
        fts = sa.table("search_fts", sa.column("rowid"))

        def ids(columns: str | None = None):
            return sa.select(fts.c.rowid).where(
                sa.literal_column("search_fts").op("MATCH")(compiled.fts5(columns))
            )

        tiers = (
            sa.case((docs.c.id.in_(ids("title_terms")), TITLE_TIER), else_=0)
            + sa.case((docs.c.id.in_(ids("keywords_terms")), KEYWORDS_TIER), else_=0)
            + sa.case((docs.c.id.in_(ids("body_terms")), BODY_TIER), else_=0)
        )
        score = _score(tiers, compiled, docs, postgres, scored)
        statement = sa.select(docs.c.id, docs.c.kind, docs.c.ref_id, score.label("score")).where(
            docs.c.id.in_(ids())
        )
        kind_column, ref_column = docs.c.kind, docs.c.ref_id
    if kinds is not None:
        kinds = list(kinds)
        statement = statement.where(kind_column.in_(kinds))
    return visible(statement, kinds, kind_column, ref_column)


def _score(tiers, compiled: CompiledQuery, docs, postgres: bool, scored: bool | str):
    if scored == "tiers":
        return tiers
    return with_frequency(tiers, compiled, docs, postgres) if scored else sa.literal(0)


def full_score(tiers, compiled: CompiledQuery, session=None):
    """The score of ``match_documents`` from a ``scored="tiers"`` column: the term frequencies
    added, read from the search documents' columns (join them). For scoring only the hits that
    can make a page (``search``, the organisation list)."""
    session = session or db.session
    postgres = session.get_bind().dialect.name == "postgresql"
    return with_frequency(tiers, compiled, SearchDocument.__table__, postgres)


def tie_break(session=None):
    """The alphabetical tie-break, byte order on both databases (collations differ)."""
    session = session or db.session
    sort_key = SearchDocument.__table__.c.sort_key
    if session.get_bind().dialect.name == "postgresql":
        return sa.collate(sort_key, "C")
    return sort_key


@dataclass
class Hit:
    kind: str
    ref_id: int
    title: str
    summary: str
    url_key: str
    score: int


def ranked_hits(compiled: CompiledQuery, kind: str, best: int, *, restrict=None, session=None):
    """A subquery of (id, ref_id, score) holding every hit of ``kind`` that can be among the
    ``best`` first by score, with its full score; hits that cannot are left out before their term
    frequencies (string functions over each column) are worked out. ``restrict(select, tiered)``
    may add joins and conditions (the organisation list's filters).

    A score is tiers × TIER_UNIT plus a frequency below TIER_UNIT, so a hit below the
    ``best``-th best tiers can never pass it: only hits at or above those tiers are scored (the
    same hits in the same order as scoring all; at 100,000 organisations a common word matched a
    third of them and scoring them all took 2.6 s). On PostgreSQL the hits of the title and
    keyword tiers are found first by the small vectors' indexes; only when fewer than ``best`` of
    them exist is the full match ranked (a one-time filter: the other branch is not run)."""
    session = session or db.session
    docs = SearchDocument.__table__
    postgres = session.get_bind().dialect.name == "postgresql"

    def tiered_hits(within: str, name: str):
        tiered = match_documents(
            compiled, [kind], scored="tiers", within=within, session=session
        ).subquery()
        hits = sa.select(tiered.c.id, tiered.c.ref_id, tiered.c.score.label("tiers"))
        return (restrict(hits, tiered) if restrict else hits).cte(name)

    every = tiered_hits("all", f"every_{kind}")
    hits = head_first(compiled, kind, best, every, restrict, session) if postgres else every
    cutoff = (
        sa.select(hits.c.tiers)
        .order_by(hits.c.tiers.desc())
        .offset(best - 1)
        .limit(1)
        .scalar_subquery()
    )
    # The documents of the hits to score, one primary-key lookup each (a LATERAL subquery with
    # a LIMIT is never flattened into a join): the planner cannot know how few hits pass the
    # cut-off and otherwise merge-joins every document.
    if postgres:
        doc = (
            sa.select(docs.c.title_terms, docs.c.keywords_terms, docs.c.body_terms, *shown(docs))
            .where(docs.c.id == hits.c.id)
            .limit(1)
            .lateral(f"doc_{kind}")
        )
        on = sa.true()
    else:
        doc, on = docs, docs.c.id == hits.c.id
    score = with_frequency(hits.c.tiers, compiled, doc, postgres).label("score")
    return (
        sa.select(hits.c.id, hits.c.ref_id, score, *shown(doc))
        .select_from(hits)
        .join(doc, on)
        .where(hits.c.tiers >= sa.func.coalesce(cutoff, 0))
        .subquery()
    )


def shown(table) -> list:
    """The columns a hit shows (``Hit``) and sorts by."""
    return [table.c[name] for name in ("kind", "title", "summary", "url_key", "sort_key")]


def search(query: str, kinds: Iterable[str] | None = None, *, limit: int = 10, session=None):
    """Best hits per kind and the number of hits per kind: ``({kind: count}, {kind: [Hit]})``;
    a count above the cap is cap + 1 (``capped``)."""
    session = session or db.session
    kinds = list(kinds) if kinds is not None else None
    compiled = compile_query(query, session=session)
    if compiled is None:
        return {}, {}
    # One capped count per kind (``capped``), in one statement: each stops after cap + 1 hits.
    branches = []
    for kind in kinds if kinds is not None else sorted(KINDS):
        matched = match_documents(compiled, [kind], scored=False, session=session)
        limited = matched.limit(count_cap() + 1).subquery()
        count = sa.select(sa.literal(kind).label("kind"), sa.func.count().label("n"))
        branches.append(count.select_from(limited))
    if not branches:
        return {}, {}
    union = sa.union_all(*branches) if len(branches) > 1 else branches[0]
    counts = {kind: n for kind, n in session.execute(union) if n}
    postgres = session.get_bind().dialect.name == "postgresql"
    hits: dict[str, list[Hit]] = {}
    for kind in counts:
        ranked = ranked_hits(compiled, kind, limit, session=session)
        sort_key = ranked.c.sort_key
        if postgres:
            sort_key = sa.collate(sort_key, "C")  # as tie_break()
        rows = session.execute(
            sa.select(
                ranked.c.kind,
                ranked.c.ref_id,
                ranked.c.title,
                ranked.c.summary,
                ranked.c.url_key,
                ranked.c.score,
            )
            .order_by(ranked.c.score.desc(), sort_key, ranked.c.id)
            .limit(limit)
        ).all()
        hits[kind] = [Hit(*row) for row in rows]
    return counts, hits
