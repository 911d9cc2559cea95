"""The search index: one row per searchable thing, whatever its domain.

``search_documents`` holds normalised terms (see ``app.search.text``); a hand-written companion
``search_fts`` (an FTS5 virtual table on SQLite, a tsvector table with a GIN index on PostgreSQL,
both kept in sync by triggers; see migrations/versions/0004_organisations.py) does the matching.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AUTOGENERATE_IGNORED_TABLE_PREFIXES, Base, utcnow

AUTOGENERATE_IGNORED_TABLE_PREFIXES.update({"search_fts", "search_heads"})


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (sa.UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), index=True)
    ref_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    # Folded title: the same tie-break order on both databases, whatever their collation.
    sort_key: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # What the kind's URL needs (e.g. a slug), so results link without loading the object.
    url_key: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    title_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    keywords_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    body_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SearchTerm(Base):
    """Every term ever indexed: the vocabulary that one-typo corrections are picked from."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    head: Mapped[str] = mapped_column(sa.String(2), index=True)
    tail: Mapped[str] = mapped_column(sa.String(2), index=True)


class SearchLemma(Base):
    """Form -> lemma for the index's own vocabulary, filled where the dictionary is loaded (job
    workers, commands), so the web process looks lemmas up here and never loads simplemma.

    For every lemma the index holds, every form the dictionary knows of it is stored, not only
    the forms indexed: a query form that is not in the index ("dziećmi") still finds its lemma
    ("dziecko") when another form of it is indexed ("dzieci"). A form missing here has no lemma
    in the index at all, so it could not match by lemma anyway."""

    __tablename__ = "search_lemmas"

    # The lower-case word as typed (diacritics kept: the dictionary needs them).
    form: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    lemma: Mapped[str] = mapped_column(sa.String(100))  # folded, as indexed
