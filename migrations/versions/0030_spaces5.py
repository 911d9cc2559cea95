"""booking series of a round: bookable to the round's season end (horizon_until)

Revision ID: 0030_spaces5
Revises: 0027_grant_rates
Create Date: 2026-12-01 21:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0030_spaces5"
down_revision = "0029_law5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.add_column(sa.Column("horizon_until", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.drop_column("horizon_until")
