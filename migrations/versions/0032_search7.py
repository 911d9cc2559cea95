"""search_heads: plain GIN indexes on the title and keyword vectors (without kind); a btree on
search_fts.kind

Revision ID: 0032_search7
Revises: 0031_perf6
Create Date: 2026-12-02 01:15:00

The indexes of 0031 were on ``(kind, title_vector)`` and ``(kind, keywords_vector)``. Nearly every
row is an organisation, so the kind column selects nearly every row; the planner still chose an
index scan on the kind alone (every row, the vectors rechecked on the heap) or a scan of the
table: 40-100 ms at 100,000 organisations for a word no title or keyword contains. The title and
keyword hits are now two branches (``app.search.heads.head_hits``), each answered by its
vector's index; the kind is tested on the few rows found.

The capped count per kind of a search (``app.search.service.search``) found the kinds without a
hit (no opportunities in the 100,000-organisation set) through the GIN index on (kind, vector):
13 ms each, reading the whole posting list of a common word to intersect it with no row. A btree
on ``search_fts.kind`` answers them at once (30 ms -> 3 ms for the count).

SQLite is untouched (FTS5).
"""

from alembic import op

revision = "0032_search7"
down_revision = "0031_perf6"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_heads_kind_title")
    op.execute("DROP INDEX ix_search_heads_kind_keywords")
    op.execute("CREATE INDEX ix_search_heads_title ON search_heads USING gin (title_vector)")
    op.execute("CREATE INDEX ix_search_heads_keywords ON search_heads USING gin (keywords_vector)")
    op.execute("CREATE INDEX ix_search_fts_kind ON search_fts (kind)")
    op.execute("ANALYZE search_heads")
    op.execute("ANALYZE search_fts")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_fts_kind")
    op.execute("DROP INDEX ix_search_heads_title")
    op.execute("DROP INDEX ix_search_heads_keywords")
    op.execute(
        "CREATE INDEX ix_search_heads_kind_title ON search_heads USING gin (kind, title_vector)"
    )
    op.execute(
        "CREATE INDEX ix_search_heads_kind_keywords ON search_heads"
        " USING gin (kind, keywords_vector)"
    )
