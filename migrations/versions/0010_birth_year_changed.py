"""volunteer profiles: when the birth year last changed

The sign-up form used to overwrite the profile's birth year, so a 16-year-old refused by an 18+
offer could type 2000 and be accepted. Now only the profile changes it; the time of the last
change is kept so organisations see that a volunteer's declared age changed.

Revision ID: 0010_birth_year_changed
Revises: 0009_spaces_unique_names
Create Date: 2026-12-01 12:40:00

"""
import sqlalchemy as sa
from alembic import op

import app.db

revision = '0010_birth_year_changed'
down_revision = '0009_spaces_unique_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('birth_year_changed_at', app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.drop_column('birth_year_changed_at')
