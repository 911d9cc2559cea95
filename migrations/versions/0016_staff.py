"""organisations: verification requests (asked when, the member's message, the last refusal);
content reports from users (moderation).

Revision ID: 0016_staff
Revises: 0019_audit_events
Create Date: 2026-12-01 15:30:00
"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '0016_staff'
down_revision = '0019_audit_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'content_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('reason', sa.Enum('illegal', 'personal_data', 'offensive', 'spam', 'wrong', 'other', name='reportreason', native_enum=False, create_constraint=True, length=20), nullable=False),
        sa.Column('message', sa.Text(), server_default='', nullable=False),
        sa.Column('reporter_id', sa.Integer(), nullable=True),
        sa.Column('reporter_email', sa.String(length=254), nullable=True),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Enum('open', 'handled', 'dismissed', name='reportstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
        sa.Column('handled_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('response', sa.String(length=1000), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_content_reports_handled_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_content_reports_reporter_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_reports')),
    )
    with op.batch_alter_table('content_reports') as batch:
        batch.create_index(batch.f('ix_content_reports_path'), ['path'], unique=False)
        batch.create_index(batch.f('ix_content_reports_status'), ['status'], unique=False)
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('verification_requested_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column('verification_message', sa.Text(), server_default='', nullable=False)
        )
        batch.add_column(
            sa.Column(
                'verification_refusal', sa.String(length=500), server_default='', nullable=False
            )
        )
        batch.create_index(
            batch.f('ix_organisations_verification_requested_at'),
            ['verification_requested_at'],
            unique=False,
        )


def downgrade():
    op.drop_table('content_reports')
    with op.batch_alter_table('organisations') as batch:
        batch.drop_index(batch.f('ix_organisations_verification_requested_at'))
        batch.drop_column('verification_refusal')
        batch.drop_column('verification_message')
        batch.drop_column('verification_requested_at')
