"""feed tokens per person

Every member of an organisation and every manager of a provider gets their own private feed link
(one person rotating or leaving no longer breaks colleagues' subscriptions). Tokens are looked up
by their SHA-256 digest. A volunteer's token keeps working (its holder is the volunteer); the
shared organisation and provider tokens cannot be attributed to one person and are removed, so
their old links answer 404 and each person takes their own link from the calendar page.

Revision ID: 0012_feed_tokens_per_holder
Revises: 0011_barter_withdrawals
Create Date: 2026-12-01 15:00:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


revision = '0012_feed_tokens_per_holder'
down_revision = '0011_barter_withdrawals'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE feed_tokens SET holder_id = CAST(substr(scope, 11) AS INTEGER) "
            "WHERE scope LIKE 'volunteer:%'"
        )
    )
    bind.execute(
        sa.text(
            "DELETE FROM feed_tokens WHERE holder_id IS NULL "
            "OR holder_id NOT IN (SELECT id FROM users)"
        )
    )
    for token_id, token in bind.execute(sa.text("SELECT id, token FROM feed_tokens")).all():
        bind.execute(
            sa.text("UPDATE feed_tokens SET digest = :digest WHERE id = :id"),
            {"digest": hashlib.sha256(token.encode()).hexdigest(), "id": token_id},
        )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_feed_tokens_one_active_per_scope')
        batch_op.drop_index('ix_feed_tokens_scope_active')
        batch_op.alter_column('holder_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('digest', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_feed_tokens_digest'), ['digest'])
        batch_op.create_foreign_key(
            batch_op.f('fk_feed_tokens_holder_id_users'),
            'users',
            ['holder_id'],
            ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_index('ix_feed_tokens_holder', ['holder_id'], unique=False)
        batch_op.create_index(
            'uq_feed_tokens_one_active_per_holder',
            ['scope', 'holder_id'],
            unique=True,
            sqlite_where=sa.text('revoked_at IS NULL'),
            postgresql_where=sa.text('revoked_at IS NULL'),
        )


def downgrade():
    op.execute("DELETE FROM feed_tokens WHERE scope NOT LIKE 'volunteer:%'")
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_feed_tokens_one_active_per_holder')
        batch_op.drop_index('ix_feed_tokens_holder')
        batch_op.drop_constraint(batch_op.f('fk_feed_tokens_holder_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_feed_tokens_digest'), type_='unique')
        batch_op.drop_column('digest')
        batch_op.drop_column('holder_id')
        batch_op.create_index('ix_feed_tokens_scope_active', ['scope', 'revoked_at'], unique=False)
        batch_op.create_index(
            'uq_feed_tokens_one_active_per_scope',
            ['scope'],
            unique=True,
            sqlite_where=sa.text('revoked_at IS NULL'),
            postgresql_where=sa.text('revoked_at IS NULL'),
        )
