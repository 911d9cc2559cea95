"""Commands of the spaces domain: ``flask --app wsgi spaces reconfirm`` (the daily job
``app/spaces/tasks.py`` runs the same function; the command is for running it by hand)."""

from __future__ import annotations

import click
from flask import current_app

from app.spaces import service
from app.spaces.blueprint import bp


@bp.cli.command("reconfirm")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def reconfirm_command(today):
    """Ask standing weekly bookings to re-confirm for the new term; release the unconfirmed."""
    if not current_app.config.get("SERVER_NAME"):
        # The mails carry absolute links; outside a request Flask builds them from SERVER_NAME.
        raise click.UsageError(
            "Set SERVER_NAME (and PREFERRED_URL_SCHEME) so that e-mails link to this site."
        )
    result = service.run_reconfirmation(today=today.date() if today else None)
    click.echo(f"asked: {result['asked']}, released: {result['released']}")
