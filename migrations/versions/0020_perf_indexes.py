"""indexes for every list filter and sort (issue 14, query discipline)

Revision ID: 0020_perf_indexes
Revises: 0017_volunteering_law
Create Date: 2026-12-01 17:30:00

The organisation list and the spaces catalogue are ordered by name, then id; the volunteering
list filters published opportunities (newest first, or by title, or by kind) and reads each
card's upcoming shifts; venue matching and the week view ask which bookings hold a room's slots
from a moment on. tests/test_query_discipline.py checks on PostgreSQL that these are used.
"""
from alembic import op


revision = '0020_perf_indexes'
down_revision = '0025_combined_spaces'
branch_labels = None
depends_on = None

INDEXES = [
    ('organisations', 'ix_organisations_name_id', ['name', 'id']),
    ('organisations', 'ix_organisations_verified_at', ['verified_at']),
    ('volunteering_opportunities', 'ix_volunteering_opportunities_status_published', ['status', 'published_at']),
    ('volunteering_opportunities', 'ix_volunteering_opportunities_title_id', ['title', 'id']),
    ('volunteering_opportunities', 'ix_volunteering_opportunities_kind', ['kind']),
    ('volunteering_shifts', 'ix_volunteering_shifts_opportunity_ends', ['opportunity_id', 'ends_at']),
    ('spaces', 'ix_spaces_name_id', ['name', 'id']),
    ('bookings', 'ix_bookings_space_blocked', ['space_id', 'blocked_until']),
]


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
