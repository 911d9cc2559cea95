"""Command-line tasks of the competence base (top-level: ``flask --app wsgi <command>``)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from app.organisations.blueprint import bp


@bp.cli.command("import-organisations")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_organisations_command(csv_file: Path):
    """Import or update organisations from a CSV file (see app/organisations/importer.py)."""
    from app.organisations.importer import REJECTED, ImportFileError, import_rows, read_rows

    try:
        rows, warnings = read_rows(csv_file.read_bytes())
    except ImportFileError as error:
        raise click.ClickException(str(error)) from error
    for warning in warnings:
        click.echo(f"! {warning}", err=True)
    with click.progressbar(length=len(rows), label="Import", file=sys.stderr) as bar:
        results = import_rows(rows, progress=lambda: bar.update(1))
    for result in results:
        line = f"wiersz {result.line}: {result.status} {result.krs} {result.name}".rstrip()
        if result.reasons:
            line += " – " + "; ".join(result.reasons)
        click.echo(line)
    totals = Counter(r.status for r in results)
    click.echo(
        "Razem: "
        + ", ".join(f"{status} {totals.get(status, 0)}"
                    for status in ("created", "updated", "unchanged", "rejected"))
    )  # fmt: skip
    if totals.get(REJECTED):
        raise SystemExit(1)


@bp.cli.command("notify-stale-organisations")
def notify_stale_command():
    """E-mail owners of profiles not updated for 12 months (idempotent; the job worker also runs
    it daily at 7:00, see app/organisations/tasks.py)."""
    from app.organisations.service import notify_stale_owners

    click.echo(f"Wysłano {notify_stale_owners()} wiadomości.")
