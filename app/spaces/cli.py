"""Cron tasks of the spaces domain: ``flask --app wsgi spaces reconfirm`` (daily)."""

from __future__ import annotations

import click

from app.spaces import service
from app.spaces.blueprint import bp


@bp.cli.command("reconfirm")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def reconfirm_command(today):
    """Ask standing weekly bookings to re-confirm for the new term; release the unconfirmed."""
    result = service.run_reconfirmation(today=today.date() if today else None)
    click.echo(f"asked: {result['asked']}, released: {result['released']}")
