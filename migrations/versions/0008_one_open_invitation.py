"""one open invitation per organisation and address

Two owners (or a double-click) inviting the same address at once sent two invitations. Older
open duplicates are deleted (the newest, the last one sent, stays) and a partial unique index
keeps one; inviting again resends the open invitation.

Revision ID: 0008_one_open_invitation
Revises: 0007_feed_token_one_active
Create Date: 2026-12-01 12:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_one_open_invitation'
down_revision = '0007_feed_token_one_active'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "DELETE FROM organisation_invitations "
        "WHERE accepted_at IS NULL AND id NOT IN ("
        "SELECT max(id) FROM organisation_invitations WHERE accepted_at IS NULL "
        "GROUP BY organisation_id, email)"
    )
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.create_index(
            'uq_organisation_invitations_open',
            ['organisation_id', 'email'],
            unique=True,
            sqlite_where=sa.text('accepted_at IS NULL'),
            postgresql_where=sa.text('accepted_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_organisation_invitations_open')
