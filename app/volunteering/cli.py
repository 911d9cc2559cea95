"""Commands for the periodic mails of the volunteering board (the same functions the jobs in
``tasks.py`` run); each is idempotent (safe to run repeatedly)."""

from __future__ import annotations

import click
from flask import current_app

from app.volunteering import service
from app.volunteering.blueprint import bp


def _require_server_name() -> None:
    """E-mails carry absolute links; outside a request Flask builds them from SERVER_NAME."""
    if not current_app.config.get("SERVER_NAME"):
        raise click.UsageError(
            "Set SERVER_NAME (and PREFERRED_URL_SCHEME) so that e-mails link to this site."
        )


@bp.cli.command("send-reminders")
def send_reminders_command():
    """Remind volunteers of tomorrow's shifts and organisations of unanswered applications."""
    _require_server_name()
    volunteers = service.send_reminders()
    organisations = service.send_unanswered_reminders()
    click.echo(f"Shift reminders: {volunteers}; unanswered applications: {organisations}.")


@bp.cli.command("send-digest")
def send_digest_command():
    """Send the weekly digest of new matching opportunities to volunteers who opted in."""
    _require_server_name()
    click.echo(f"Digests sent: {service.send_digests()}.")
