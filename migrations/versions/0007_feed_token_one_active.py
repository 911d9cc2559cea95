"""one active feed token per scope

Concurrent first visits of the calendar page created several active tokens for one scope. The
duplicates are revoked (the oldest token, the one the page showed, stays) and a partial unique
index keeps it at one.

Revision ID: 0007_feed_token_one_active
Revises: 0006_outbox_delivery
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_feed_token_one_active'
down_revision = '0006_outbox_delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE feed_tokens SET revoked_at = created_at "
        "WHERE revoked_at IS NULL AND id NOT IN ("
        "SELECT min(id) FROM feed_tokens WHERE revoked_at IS NULL GROUP BY scope)"
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(
            'uq_feed_tokens_one_active_per_scope',
            ['scope'],
            unique=True,
            sqlite_where=sa.text('revoked_at IS NULL'),
            postgresql_where=sa.text('revoked_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_feed_tokens_one_active_per_scope')
