"""search lemmas: the form -> lemma table of the index's vocabulary (the web process no longer
loads simplemma's dictionary)

Revision ID: 0021_search_lemmas
Revises: 0017_volunteering_law
Create Date: 2026-12-01 17:20:00

Existing indexes keep their terms (they were lemmatised with the dictionary); run
``flask --app wsgi reindex-search`` once after upgrading to fill the table, or searches match
inflected forms only through stems and prefixes until the index is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_search_lemmas'
down_revision = '0023_space_details'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_lemmas',
        sa.Column('form', sa.String(length=100), nullable=False),
        sa.Column('lemma', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('form', name=op.f('pk_search_lemmas')),
    )


def downgrade():
    op.drop_table('search_lemmas')
