"""volunteering opportunities keep what the public list needs from their shifts

Revision ID: 0033_vol7
Revises: 0032_search7
Create Date: 2026-12-02 01:10:00

``has_shifts``, ``shifts_end`` (the latest end of the uncancelled shifts) and ``next_start``
with its window ``[next_from, next_until)`` (app/volunteering/listing.py keeps them in every
flush that changes a shift). The list's count and page then read the opportunities alone
instead of an EXISTS and a ``min()`` over the shifts per published offer. Filled here from the
shifts as they are now.

Indexes for the public volunteering calendar's validator (``calendar.public_version``: counts,
newest changes and the next shift to leave, all index seeks): shifts by end, by change and
cancelled ones by change; offers and organisations by change.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0033_vol7"
down_revision = "0032_search7"
branch_labels = None
depends_on = None

TABLE = "volunteering_opportunities"


def upgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("has_shifts", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        for name in ("shifts_end", "next_start", "next_from", "next_until"):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_volunteering_opportunities_next_until", ["next_until"])
        batch_op.create_index(
            "ix_volunteering_opportunities_status_shifts_end", ["status", "shifts_end"]
        )
        batch_op.create_index("ix_volunteering_opportunities_updated_at", ["updated_at"])
    # The public volunteering calendar's validator: index seeks (calendar.public_version).
    op.create_index("ix_volunteering_shifts_ends_at", "volunteering_shifts", ["ends_at"])
    op.create_index("ix_volunteering_shifts_updated_at", "volunteering_shifts", ["updated_at"])
    op.create_index(
        "ix_volunteering_shifts_cancelled_updated",
        "volunteering_shifts",
        ["updated_at"],
        sqlite_where=sa.text("cancelled_at IS NOT NULL"),
        postgresql_where=sa.text("cancelled_at IS NOT NULL"),
    )
    op.create_index("ix_organisations_updated_at", "organisations", ["updated_at"])
    bind = op.get_bind()
    opportunities = sa.table(
        TABLE,
        sa.column("id"),
        *(sa.column(name) for name in ("has_shifts", "shifts_end", "next_start")),
        *(sa.column(name) for name in ("next_from", "next_until")),
    )
    shifts = sa.table(
        "volunteering_shifts",
        sa.column("opportunity_id"),
        sa.column("starts_at"),
        sa.column("ends_at"),
        sa.column("cancelled_at"),
    )
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC (app.db.UTCDateTime)
    now = sa.literal(now, sa.DateTime(timezone=True))
    live = (shifts.c.opportunity_id == opportunities.c.id, shifts.c.cancelled_at.is_(None))

    def aggregate(function, column, *more):
        return sa.select(function(column)).where(*live, *more).scalar_subquery()

    bind.execute(
        sa.update(opportunities).values(
            has_shifts=sa.exists().where(shifts.c.opportunity_id == opportunities.c.id),
            shifts_end=aggregate(sa.func.max, shifts.c.ends_at),
            next_start=aggregate(sa.func.min, shifts.c.starts_at, shifts.c.ends_at > now),
            next_from=aggregate(sa.func.max, shifts.c.ends_at, shifts.c.ends_at <= now),
            next_until=aggregate(sa.func.min, shifts.c.ends_at, shifts.c.ends_at > now),
        )
    )


def downgrade():
    op.drop_index("ix_organisations_updated_at", table_name="organisations")
    for name in ("cancelled_updated", "updated_at", "ends_at"):
        op.drop_index(f"ix_volunteering_shifts_{name}", table_name="volunteering_shifts")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_volunteering_opportunities_updated_at")
        batch_op.drop_index("ix_volunteering_opportunities_status_shifts_end")
        batch_op.drop_index("ix_volunteering_opportunities_next_until")
        for name in ("next_until", "next_from", "next_start", "shifts_end", "has_shifts"):
            batch_op.drop_column(name)
