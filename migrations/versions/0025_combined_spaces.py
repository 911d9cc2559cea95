"""combined rooms (one occupancy row per smallest space under the no-overlap rule) and loans over several days

A hall that divides into A and B is three rooms: "A", "B" and "A+B" with the parts A and B
(``space_parts``). Every slot-holding room booking gets one ``space_occupancies`` row per
smallest space it occupies (A+B: a row for A and a row for B; A: a row for A), written by
triggers on ``bookings`` so that no code path can forget them. No two rows of one smallest space
overlap: on PostgreSQL an exclusion constraint, on SQLite a trigger that raises the same name.
Both are written by hand (autogenerate cannot express them). ``ex_bookings_no_overlap`` stays
(it names the room itself, which some refusals and tests rely on).

If a later migration recreates ``bookings`` on SQLite (``batch_alter_table`` with
``recreate``), SQLite drops the table's triggers: call ``create_occupancy_triggers()`` again.

Revision ID: 0025_combined_spaces
Revises: 0017_volunteering_law
Create Date: 2026-12-01 17:10:00

"""

from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = "0025_combined_spaces"
down_revision = "0024_booking_reminders"
branch_labels = None
depends_on = None

# Keep in sync with app.spaces.models.SLOT_HOLDING_STATUSES (tested).
SLOT_HOLDING = "status IN ('approved', 'no_show')"

# The smallest spaces a booking NEW occupies: the room's parts, or the room itself.
_UNITS = (
    "SELECT part_id AS unit_id FROM space_parts WHERE whole_id = NEW.space_id "
    "UNION SELECT NEW.space_id AS unit_id WHERE NOT EXISTS "
    "(SELECT 1 FROM space_parts WHERE whole_id = NEW.space_id)"
)
_INSERT_ROWS = (
    "INSERT INTO space_occupancies (booking_id, unit_id, starts_at, blocked_until) "
    f"SELECT NEW.id, units.unit_id, NEW.starts_at, NEW.blocked_until FROM ({_UNITS}) AS units "
    f"WHERE NEW.exclusive AND NEW.{SLOT_HOLDING} "
    "ORDER BY units.unit_id"
)
_WATCHED = "status, starts_at, blocked_until, space_id, exclusive"


def upgrade():
    op.create_table(
        "space_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("whole_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("whole_id <> part_id", name=op.f("ck_space_parts_not_itself")),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["spaces.id"],
            name=op.f("fk_space_parts_part_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["whole_id"],
            ["spaces.id"],
            name=op.f("fk_space_parts_whole_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_parts")),
        sa.UniqueConstraint("whole_id", "part_id", name=op.f("uq_space_parts_whole_id_part_id")),
    )
    with op.batch_alter_table("space_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_parts_part_id"), ["part_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_parts_whole_id"), ["whole_id"], unique=False)

    op.create_table(
        "space_occupancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_space_occupancies_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["spaces.id"],
            name=op.f("fk_space_occupancies_unit_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_occupancies")),
    )
    with op.batch_alter_table("space_occupancies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_space_occupancies_booking_id"), ["booking_id"], unique=False
        )
        batch_op.create_index(
            "ix_space_occupancies_unit_time", ["unit_id", "starts_at"], unique=False
        )

    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("loan_days", sa.Integer(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("max_loan_days", sa.Integer(), server_default="0", nullable=False)
        )

    create_occupancy_triggers()
    # Bookings made before this migration hold their rooms as before.
    op.execute(
        "INSERT INTO space_occupancies (booking_id, unit_id, starts_at, blocked_until) "
        "SELECT id, space_id, starts_at, blocked_until FROM bookings "
        f"WHERE exclusive AND {SLOT_HOLDING}"
    )


def create_occupancy_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE space_occupancies ADD CONSTRAINT ex_space_occupancies_no_overlap "
            "EXCLUDE USING gist (unit_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&)"
        )
        op.execute(
            "CREATE FUNCTION bookings_sync_occupancy() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "  IF TG_OP = 'UPDATE' THEN\n"
            "    DELETE FROM space_occupancies WHERE booking_id = OLD.id;\n"
            "  END IF;\n"
            f"  {_INSERT_ROWS};\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER bookings_sync_occupancy AFTER INSERT OR UPDATE OF {_WATCHED} "
            "ON bookings FOR EACH ROW EXECUTE FUNCTION bookings_sync_occupancy()"
        )
        return
    op.execute(
        "CREATE TRIGGER space_occupancies_no_overlap BEFORE INSERT ON space_occupancies "
        "WHEN EXISTS (SELECT 1 FROM space_occupancies AS o WHERE o.unit_id = NEW.unit_id "
        "AND o.starts_at < NEW.blocked_until AND NEW.starts_at < o.blocked_until) "
        "BEGIN SELECT RAISE(ABORT, 'ex_space_occupancies_no_overlap'); END"
    )
    op.execute(
        f"CREATE TRIGGER bookings_occupancy_insert AFTER INSERT ON bookings BEGIN {_INSERT_ROWS}; END"
    )
    op.execute(
        f"CREATE TRIGGER bookings_occupancy_update AFTER UPDATE OF {_WATCHED} ON bookings BEGIN "
        f"DELETE FROM space_occupancies WHERE booking_id = OLD.id; {_INSERT_ROWS}; END"
    )


def drop_occupancy_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS bookings_sync_occupancy ON bookings")
        op.execute("DROP FUNCTION IF EXISTS bookings_sync_occupancy()")
        return
    for name in (
        "bookings_occupancy_insert",
        "bookings_occupancy_update",
        "space_occupancies_no_overlap",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def downgrade():
    drop_occupancy_triggers()
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("max_loan_days")

    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.drop_column("loan_days")

    with op.batch_alter_table("space_occupancies", schema=None) as batch_op:
        batch_op.drop_index("ix_space_occupancies_unit_time")
        batch_op.drop_index(batch_op.f("ix_space_occupancies_booking_id"))

    op.drop_table("space_occupancies")
    with op.batch_alter_table("space_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_parts_whole_id"))
        batch_op.drop_index(batch_op.f("ix_space_parts_part_id"))

    op.drop_table("space_parts")
