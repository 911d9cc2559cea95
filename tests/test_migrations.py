"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import include_in_autogenerate
from app.extensions import db


def test_migrations_match_models(app):
    # The app's database was built by `flask db upgrade` (see conftest.database_templates).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": include_in_autogenerate},
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []
