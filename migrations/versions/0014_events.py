"""mail: attachments of outbox messages (the .ics sent with approval and sign-up mails);
competences: English and Ukrainian names.

Revision ID: 0014_events
Revises: 0012_feed_tokens_per_holder
Create Date: 2026-12-01 14:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_events'
down_revision = '0012_feed_tokens_per_holder'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mimetype', sa.String(length=120), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['outbox_messages.id'],
            name=op.f('fk_outbox_attachments_message_id_outbox_messages'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachments')),
    )
    with op.batch_alter_table('outbox_attachments') as batch:
        batch.create_index(
            batch.f('ix_outbox_attachments_message_id'), ['message_id'], unique=False
        )
    with op.batch_alter_table('competences') as batch:
        batch.add_column(
            sa.Column('name_en', sa.String(length=120), nullable=False, server_default='')
        )
        batch.add_column(
            sa.Column('name_uk', sa.String(length=120), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table('competences') as batch:
        batch.drop_column('name_uk')
        batch.drop_column('name_en')
    with op.batch_alter_table('outbox_attachments') as batch:
        batch.drop_index(batch.f('ix_outbox_attachments_message_id'))
    op.drop_table('outbox_attachments')
