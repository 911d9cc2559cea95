"""search_fts on PostgreSQL carries kind and ref_id; search_heads: small title / keyword vectors

Revision ID: 0031_perf6
Revises: 0030_spaces5
Create Date: 2026-12-01 22:20:00

At 100,000 organisations a common word matches a third of the documents. Matching and counting
per kind joined every search document for its kind, and the tiers tested the weights of the
full vector (about 1.4 kB a document). Now:

- ``kind`` and ``ref_id`` are on ``search_fts`` (kept by the same trigger), so matching and
  counting per kind reads one table; one GIN index on ``(kind, vector)`` (btree_gin) serves the
  match and the kind together, and answers a count without rechecking the vectors;
- ``search_heads`` (same trigger) holds the title and keyword terms alone as vectors, in narrow
  rows (about 100 bytes against 1.1 kB): the hits of the title and keyword tiers are found there
  (a scan of a tenth of the pages, or their GIN indexes) before the full vectors are read
  (``app.search.service.ranked_hits``).

SQLite is untouched (FTS5 answers all of this from its own index).
"""

from alembic import op

revision = "0031_perf6"
down_revision = "0030_spaces5"
branch_labels = None
depends_on = None


SYNC = """CREATE OR REPLACE FUNCTION search_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_fts (doc_id, kind, ref_id, vector)
        VALUES (NEW.id, NEW.kind, NEW.ref_id,
                setweight(to_tsvector('simple', NEW.title_terms), 'A')
                || setweight(to_tsvector('simple', NEW.keywords_terms), 'B')
                || setweight(to_tsvector('simple', NEW.body_terms), 'C'))
        ON CONFLICT (doc_id) DO UPDATE SET
            kind = EXCLUDED.kind, ref_id = EXCLUDED.ref_id, vector = EXCLUDED.vector;
        INSERT INTO search_heads (doc_id, kind, ref_id, title_vector, keywords_vector)
        VALUES (NEW.id, NEW.kind, NEW.ref_id,
                to_tsvector('simple', NEW.title_terms), to_tsvector('simple', NEW.keywords_terms))
        ON CONFLICT (doc_id) DO UPDATE SET
            kind = EXCLUDED.kind, ref_id = EXCLUDED.ref_id,
            title_vector = EXCLUDED.title_vector, keywords_vector = EXCLUDED.keywords_vector;
        RETURN NULL;
    END $$"""

OLD_SYNC = """CREATE OR REPLACE FUNCTION search_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_fts (doc_id, vector)
        VALUES (NEW.id,
                setweight(to_tsvector('simple', NEW.title_terms), 'A')
                || setweight(to_tsvector('simple', NEW.keywords_terms), 'B')
                || setweight(to_tsvector('simple', NEW.body_terms), 'C'))
        ON CONFLICT (doc_id) DO UPDATE SET vector = EXCLUDED.vector;
        RETURN NULL;
    END $$"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # btree_gin is a trusted contrib extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute("ALTER TABLE search_fts ADD COLUMN kind varchar(30), ADD COLUMN ref_id integer")
    op.execute(
        """UPDATE search_fts SET kind = d.kind, ref_id = d.ref_id
            FROM search_documents d WHERE d.id = search_fts.doc_id"""
    )
    op.execute(
        "ALTER TABLE search_fts ALTER COLUMN kind SET NOT NULL, ALTER COLUMN ref_id SET NOT NULL"
    )
    op.execute(
        """CREATE TABLE search_heads (
            doc_id integer PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
            kind varchar(30) NOT NULL,
            ref_id integer NOT NULL,
            title_vector tsvector NOT NULL,
            keywords_vector tsvector NOT NULL)"""
    )
    op.execute(
        """INSERT INTO search_heads (doc_id, kind, ref_id, title_vector, keywords_vector)
            SELECT id, kind, ref_id, to_tsvector('simple', title_terms),
                   to_tsvector('simple', keywords_terms)
            FROM search_documents"""
    )
    op.execute(SYNC)
    op.execute("DROP INDEX ix_search_fts_vector")
    op.execute("CREATE INDEX ix_search_fts_kind_vector ON search_fts USING gin (kind, vector)")
    op.execute(
        "CREATE INDEX ix_search_heads_kind_title ON search_heads USING gin (kind, title_vector)"
    )
    op.execute(
        "CREATE INDEX ix_search_heads_kind_keywords ON search_heads"
        " USING gin (kind, keywords_vector)"
    )
    op.execute("ANALYZE search_fts")
    op.execute("ANALYZE search_heads")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(OLD_SYNC)
    op.execute("DROP TABLE search_heads")
    op.execute("DROP INDEX ix_search_fts_kind_vector")
    op.execute("CREATE INDEX ix_search_fts_vector ON search_fts USING gin (vector)")
    op.execute("ALTER TABLE search_fts DROP COLUMN kind, DROP COLUMN ref_id")
