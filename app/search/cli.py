"""``flask --app wsgi reindex-search``: rebuild the index of every registered kind."""

from __future__ import annotations

import click
import sqlalchemy as sa

from app.extensions import db
from app.search.blueprint import bp
from app.search.kinds import ordered_kinds
from app.search.models import SearchDocument
from app.unit_of_work import transaction


def reindex_all() -> dict[str, int]:
    """Drop and rebuild each kind's entries (in the caller's transaction), so objects deleted or
    hidden behind the index's back (a cascade, a manual fix in the database) leave it too."""
    counts = {}
    for kind in ordered_kinds():
        if kind.reindex is None:
            continue
        db.session.execute(sa.delete(SearchDocument).where(SearchDocument.kind == kind.name))
        counts[kind.name] = kind.reindex()
    return counts


@bp.cli.command("reindex-search")
def reindex_command():
    """Rebuild the search index of organisations, volunteering opportunities and the rest."""
    with transaction():  # all kinds or none: searches never see a half-built index
        counts = reindex_all()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")
