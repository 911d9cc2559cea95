"""``flask --app wsgi sync-calendars``: synchronise the calendar sources now, in this process."""

from __future__ import annotations

import click
from flask import current_app

from app.calendars.imports import service
from app.calendars.imports.blueprint import bp
from app.calendars.imports.models import CalendarSource
from app.extensions import db


@bp.cli.command("sync-calendars")
@click.option("--all", "everything", is_flag=True, help="Every source, not only the due ones.")
@click.option("--source", "source_ids", type=int, multiple=True, help="Only this source id.")
def sync_calendars_command(everything: bool, source_ids: tuple[int, ...]):
    """Download the providers' calendars and replace their busy times."""
    if not current_app.config.get("SERVER_NAME"):
        # Failure and collision mails carry absolute links, built from SERVER_NAME.
        raise click.UsageError(
            "Set SERVER_NAME (and PREFERRED_URL_SCHEME) so that e-mails link to this site."
        )
    if source_ids:
        ids = list(source_ids)
    elif everything:
        ids = list(db.session.scalars(db.select(CalendarSource.id).order_by(CalendarSource.id)))
    else:
        ids = service.due_source_ids()
    failed = 0
    for source_id in ids:
        report = service.sync_source(source_id)
        if report is None:
            click.echo(f"#{source_id}: no such source")
            failed += 1
            continue
        outcome = report.outcome
        if outcome.ok:
            found = "not modified" if outcome.busy is None else f"{len(outcome.busy)} busy"
            click.echo(f"#{source_id}: ok (HTTP {outcome.status}, {found})")
        else:
            failed += 1
            status = f", HTTP {outcome.status}" if outcome.status else ""
            click.echo(f"#{source_id}: failed ({outcome.error}{status})")
    click.echo(f"{len(ids)} sources, {failed} failed")
