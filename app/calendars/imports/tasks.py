"""The calendar-import jobs: one job per source, and the hourly schedule that queues the due
ones (``flask --app wsgi sync-calendars`` runs the same by hand)."""

from __future__ import annotations

import logging

from app.calendars.imports import service
from app.jobs import periodic, task

log = logging.getLogger(__name__)


@task()
def sync_calendar_source(source_id: int) -> None:
    """Download one source and record the result (its own short transaction)."""
    report = service.sync_source(source_id)
    if report is not None and not report.outcome.ok:
        log.warning("Calendar source %s failed: %s", source_id, report.outcome.error)


@periodic(minute="17")
def sync_due_calendars() -> int:
    """Every hour: queue a job for each source that is due (its refresh interval passed, or
    its back-off after a failure ended). Returns how many were queued."""
    due = service.due_source_ids()
    for source_id in due:
        sync_calendar_source(source_id)
    if due:
        log.info("Calendar import: %s sources queued", len(due))
    return len(due)
