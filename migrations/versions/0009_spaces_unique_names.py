"""spaces: provider names unique, and space names unique within their provider (case-insensitive).

Revision ID: 0009_spaces_unique_names
Revises: 0008_one_open_invitation
Create Date: 2026-12-01 13:00:00

The service looked for a duplicate name before inserting, which two concurrent requests both
pass. A unique constraint decides instead, on ``name_key`` (the name case-folded with its
spaces collapsed, ``app.spaces.models.comparable_name``): not an index on ``lower(name)``,
because SQLite's lower() folds only ASCII and SQLite cannot reflect expression indexes.
Existing duplicates (there should be none) get a numbered key, so the upgrade never fails.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_spaces_unique_names'
down_revision = '0008_one_open_invitation'
branch_labels = None
depends_on = None


def _comparable(name):
    return " ".join((name or "").split()).casefold()


def _fill(table, scope_column):
    connection = op.get_bind()
    columns = ['id', 'name'] + ([scope_column] if scope_column else [])
    rows = connection.execute(
        sa.text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
    ).mappings()
    seen = set()
    for row in list(rows):
        scope = row[scope_column] if scope_column else None
        key = base = _comparable(row['name'])
        number = 2
        while (scope, key) in seen:
            key, number = f"{base} ({number})", number + 1
        seen.add((scope, key))
        connection.execute(
            sa.text(f"UPDATE {table} SET name_key = :key WHERE id = :id"),
            {"key": key, "id": row['id']},
        )


def upgrade():
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=300), nullable=True))
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    _fill('providers', None)
    _fill('spaces', 'provider_id')
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=300), nullable=False)
        batch_op.create_unique_constraint('uq_providers_name_key', ['name_key'])
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(
            'uq_spaces_provider_id_name_key', ['provider_id', 'name_key']
        )


def downgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_constraint('uq_spaces_provider_id_name_key', type_='unique')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_constraint('uq_providers_name_key', type_='unique')
        batch_op.drop_column('name_key')
