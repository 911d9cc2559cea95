"""audit trail

Revision ID: 0019_audit_events
Revises: 0015_consents
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.db


revision = '0019_audit_events'
down_revision = '0015_consents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('subject_user_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('provider_id', sa.Integer(), nullable=True),
        sa.Column('details', sa.String(length=300), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_audit_events_organisation_id_organisations'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_audit_events_provider_id_providers'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_audit_events_subject_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor', ['actor_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_events_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_events_organisation', ['organisation_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_events_provider', ['provider_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_events_subject', ['subject_user_id', 'at'], unique=False)


def downgrade():
    op.drop_table('audit_events')
