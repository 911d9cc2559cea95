"""calendars: sources of busy times imported from providers' own calendars, and their
intervals (UID, RECURRENCE-ID, start, end only: no summary, description or attendees).

Revision ID: 0013_calendar_imports
Revises: 0014_events
Create Date: 2026-12-01 14:20:00
"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '0013_calendar_imports'
down_revision = '0014_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_sources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('transparent_is_busy', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('etag', sa.String(length=300), nullable=True),
        sa.Column('last_modified', sa.String(length=100), nullable=True),
        sa.Column('last_attempt_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_success_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_http_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=40), nullable=True),
        sa.Column('events_found', sa.Integer(), nullable=True),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'],
            name=op.f('fk_calendar_sources_created_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['provider_id'], ['providers.id'],
            name=op.f('fk_calendar_sources_provider_id_providers'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['space_id'], ['spaces.id'],
            name=op.f('fk_calendar_sources_space_id_spaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_sources')),
    )
    with op.batch_alter_table('calendar_sources') as batch:
        batch.create_index(batch.f('ix_calendar_sources_provider_id'), ['provider_id'])
        batch.create_index(batch.f('ix_calendar_sources_space_id'), ['space_id'])
        batch.create_index(batch.f('ix_calendar_sources_next_attempt_at'), ['next_attempt_at'])
    op.create_table(
        'calendar_imported_busy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=255), nullable=False),
        sa.Column('recurrence_id', sa.String(length=40), nullable=True),
        sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['source_id'], ['calendar_sources.id'],
            name=op.f('fk_calendar_imported_busy_source_id_calendar_sources'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_imported_busy')),
    )
    with op.batch_alter_table('calendar_imported_busy') as batch:
        batch.create_index(
            'ix_calendar_imported_busy_source_time', ['source_id', 'starts_at']
        )


def downgrade():
    op.drop_table('calendar_imported_busy')
    op.drop_table('calendar_sources')
