"""spaces: barter entries can be withdrawn (who, when, why) instead of staying forever.

Revision ID: 0011_barter_withdrawals
Revises: 0010_birth_year_changed
Create Date: 2026-12-01 13:15:00
"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '0011_barter_withdrawals'
down_revision = '0010_birth_year_changed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('barter_deliveries') as batch:
        batch.add_column(sa.Column('withdrawn_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column('withdrawn_reason', sa.String(300), nullable=False, server_default='')
        )
        batch.create_foreign_key(
            op.f('fk_barter_deliveries_withdrawn_by_id_users'),
            'users',
            ['withdrawn_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('barter_deliveries') as batch:
        batch.drop_constraint(
            op.f('fk_barter_deliveries_withdrawn_by_id_users'), type_='foreignkey'
        )
        batch.drop_column('withdrawn_reason')
        batch.drop_column('withdrawn_by_id')
        batch.drop_column('withdrawn_at')
