"""organisations: verification requests (asked when, the member's message, the last refusal).

Revision ID: 0016_staff
Revises: 0014_events
Create Date: 2026-12-01 15:30:00
"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '0016_staff'
down_revision = '0014_events'
branch_labels = None
depends_on = None


def upgrade():
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
    with op.batch_alter_table('organisations') as batch:
        batch.drop_index(batch.f('ix_organisations_verification_requested_at'))
        batch.drop_column('verification_refusal')
        batch.drop_column('verification_message')
        batch.drop_column('verification_requested_at')
