"""Cron commands of the volunteering board; each is idempotent (safe to run repeatedly)."""

from __future__ import annotations

import click

from app.volunteering import bp, personal, service


@bp.cli.command("send-reminders")
def send_reminders_command():
    """Remind volunteers of tomorrow's shifts and organisations of unanswered applications."""
    volunteers = service.send_reminders()
    organisations = service.send_unanswered_reminders()
    click.echo(f"Shift reminders: {volunteers}; unanswered applications: {organisations}.")


@bp.cli.command("send-digest")
def send_digest_command():
    """Send the weekly digest of new matching opportunities to volunteers who opted in."""
    click.echo(f"Digests sent: {personal.send_digests()}.")
