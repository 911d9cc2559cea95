"""consents and deleted actors

A person's acceptance of the terms and of the privacy notice, each with its version and time
(re-asked when the city publishes a new version). History rows remember that their actor deleted
their account, so pages say "osoba usunięta" instead of showing nobody (or the system).

Revision ID: 0015_consents
Revises: 0018_user_sessions
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.db


revision = '0015_consents'
down_revision = '0018_user_sessions'
branch_labels = None
depends_on = None

FLAGS = {
    'booking_status_changes': ['actor_deleted'],
    'volunteering_signup_events': ['actor_deleted'],
    'barter_deliveries': ['recorded_by_deleted', 'withdrawn_by_deleted'],
}


def upgrade():
    op.create_table(
        'consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('document', sa.String(length=20), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('accepted_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
        sa.UniqueConstraint(
            'user_id', 'document', 'version', name=op.f('uq_consents_user_id_document_version')
        ),
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_user_id'), ['user_id'], unique=False)
    for table, columns in FLAGS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(
                    sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False)
                )


def downgrade():
    for table, columns in FLAGS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_user_id'))
    op.drop_table('consents')
