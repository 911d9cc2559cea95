"""wkład osobowy: minimum rate by date, engagements in parts over grants, hours kept after
erasure; volunteer stories can be hidden by moderation; badges shown to organisations (opt-in)

Revision ID: 0029_law5
Revises: 0027_grant_rates
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

import app.db

revision = "0029_law5"
down_revision = "0028_staff5"
branch_labels = None
depends_on = None

OLD_KINDS = ("opportunity", "organisation", "space")
NEW_KINDS = (*OLD_KINDS, "story")


def _set_kinds(old, new) -> None:
    """The CHECK constraint of moderation_hidings.kind (an enum_type column) takes new values:
    SQLite recreates the table with the new type, PostgreSQL swaps the constraint."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("moderation_hidings", recreate="always") as batch:
            batch.alter_column(
                "kind",
                existing_type=sa.Enum(*old, name="contentkind", native_enum=False,
                                      create_constraint=True, length=20),
                type_=sa.Enum(*new, name="contentkind", native_enum=False,
                              create_constraint=True, length=20),
                existing_nullable=False,
            )
        return
    op.execute("ALTER TABLE moderation_hidings DROP CONSTRAINT ck_moderation_hidings_contentkind")
    values = ", ".join(f"'{kind}'" for kind in new)
    op.execute(
        "ALTER TABLE moderation_hidings ADD CONSTRAINT ck_moderation_hidings_contentkind"
        f" CHECK (kind IN ({values}))"
    )


def upgrade():
    with op.batch_alter_table("volunteering_grant_rates") as batch:
        batch.add_column(
            sa.Column("minimum_rate", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # The example line new grants got ("Minimalna stawka godzinowa w 2026 r.") follows the
    # minimum rate from now on.
    op.execute(
        "UPDATE volunteering_grant_rates SET minimum_rate = true"
        " WHERE source LIKE 'Minimalna stawka godzinowa%'"
    )
    with op.batch_alter_table("volunteering_grant_assignments") as batch:
        batch.drop_constraint("uq_volunteering_grant_assignments_agreement_id", type_="unique")
        batch.add_column(sa.Column("hours", sa.Numeric(precision=8, scale=2), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_volunteering_grant_assignments_grant_id_agreement_id"),
            ["grant_id", "agreement_id"],
        )
        batch.create_check_constraint("hours_positive", "hours IS NULL OR hours > 0")
        batch.create_index(
            batch.f("ix_volunteering_grant_assignments_agreement_id"), ["agreement_id"]
        )
    op.create_table(
        "volunteering_kept_signups",
        sa.Column("signup_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["volunteering_agreements.id"],
            name=op.f("fk_volunteering_kept_signups_agreement_id_volunteering_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signup_id"],
            ["volunteering_signups.id"],
            name=op.f("fk_volunteering_kept_signups_signup_id_volunteering_signups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signup_id", name=op.f("pk_volunteering_kept_signups")),
    )
    with op.batch_alter_table("volunteering_kept_signups") as batch:
        batch.create_index(batch.f("ix_volunteering_kept_signups_agreement_id"), ["agreement_id"])
    with op.batch_alter_table("volunteering_stories") as batch:
        batch.add_column(sa.Column("hidden_at", app.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_volunteering_stories_hidden_at"), ["hidden_at"])
    _set_kinds(OLD_KINDS, NEW_KINDS)
    with op.batch_alter_table("volunteering_recognition") as batch:
        batch.add_column(
            sa.Column("badges_public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("volunteering_recognition") as batch:
        batch.drop_column("badges_public")
    op.execute("DELETE FROM moderation_hidings WHERE kind = 'story'")
    _set_kinds(NEW_KINDS, OLD_KINDS)
    with op.batch_alter_table("volunteering_stories") as batch:
        batch.drop_index(batch.f("ix_volunteering_stories_hidden_at"))
        batch.drop_column("hidden_at")
    with op.batch_alter_table("volunteering_kept_signups") as batch:
        batch.drop_index(batch.f("ix_volunteering_kept_signups_agreement_id"))
    op.drop_table("volunteering_kept_signups")
    # Parts cannot be expressed without the column: keep one assignment per engagement.
    op.execute(
        "DELETE FROM volunteering_grant_assignments WHERE id NOT IN"
        " (SELECT MIN(id) FROM volunteering_grant_assignments GROUP BY agreement_id)"
    )
    with op.batch_alter_table("volunteering_grant_assignments") as batch:
        batch.drop_index(batch.f("ix_volunteering_grant_assignments_agreement_id"))
        batch.drop_constraint("ck_volunteering_grant_assignments_hours_positive", type_="check")
        batch.drop_constraint(
            "uq_volunteering_grant_assignments_grant_id_agreement_id", type_="unique"
        )
        batch.drop_column("hours")
        batch.create_unique_constraint(
            batch.f("uq_volunteering_grant_assignments_agreement_id"), ["agreement_id"]
        )
    with op.batch_alter_table("volunteering_grant_rates") as batch:
        batch.drop_column("minimum_rate")
