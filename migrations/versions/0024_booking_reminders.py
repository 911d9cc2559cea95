"""bookings entered by the provider (on behalf, own use), reminders and releases, the no-show
rule and its bans, reminders of pending requests

Revision ID: 0024_booking_reminders
Revises: 0017_volunteering_law
Create Date: 2026-12-01 17:10:00

"""

from alembic import op
import sqlalchemy as sa

import app.db


revision = "0024_booking_reminders"
down_revision = "0022_allocation_rounds"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("no_show_limit", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("no_show_ban_days", sa.Integer(), server_default="90", nullable=False)
        )
        batch.add_column(sa.Column("pending_reminder_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("booking_series") as batch:
        batch.add_column(sa.Column("on_behalf_via", sa.String(length=20), nullable=True))
        batch.add_column(
            sa.Column("own_use", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("pending_reminded_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint(
            op.f("ck_booking_series_organisation_or_own_use"),
            "own_use OR organisation_id IS NOT NULL",
        )
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(
            sa.Column("reminder_sent_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("attendance_confirmed_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "space_bans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("lifted_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_space_bans_starts_before_ends")),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["users.id"],
            name=op.f("fk_space_bans_lifted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_space_bans_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_space_bans_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_bans")),
    )
    with op.batch_alter_table("space_bans") as batch:
        batch.create_index(
            batch.f("ix_space_bans_organisation_id"), ["organisation_id"], unique=False
        )
        batch.create_index(batch.f("ix_space_bans_provider_id"), ["provider_id"], unique=False)


def downgrade():
    with op.batch_alter_table("space_bans") as batch:
        batch.drop_index(batch.f("ix_space_bans_provider_id"))
        batch.drop_index(batch.f("ix_space_bans_organisation_id"))
    op.drop_table("space_bans")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("attendance_confirmed_at")
        batch.drop_column("reminder_sent_at")
    op.execute("DELETE FROM booking_series WHERE organisation_id IS NULL")
    with op.batch_alter_table("booking_series") as batch:
        batch.drop_constraint("ck_booking_series_organisation_or_own_use", type_="check")
        batch.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("pending_reminded_at")
        batch.drop_column("own_use")
        batch.drop_column("on_behalf_via")
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("pending_reminder_days")
        batch.drop_column("no_show_ban_days")
        batch.drop_column("no_show_limit")
