"""Background work through Huey: mail delivery after commit, and the periodic jobs.

Why Huey: one small, well-kept library that gives a queue, retries with backoff, locks and a
periodic scheduler, with SQLite storage for a zero set-up start (``instance/jobs.sqlite``) and
Redis when ``REDIS_URL`` is set (several app servers, several workers). RQ has no scheduler of
its own; Celery and Dramatiq need a broker even on a laptop.

- ``@task(...)`` declares a job; ``enqueue_after_commit(job, *args)`` queues it only once the
  current transaction commits (a job about a change that rolled back never runs).
- ``@periodic(hour=..., minute=...)`` declares a periodic job on Warsaw wall-clock time. The
  scheduler runs in exactly one consumer (``flask --app wsgi jobs worker``; extra consumers take
  ``--no-periodic``), and every periodic job also holds a lock, so it never runs twice at once.
- Every job runs inside the app context of the app that started the worker; it opens its own
  ``transaction()`` per item (see app/unit_of_work.py).

``JOBS_BACKEND``: ``sqlite`` (default), ``redis`` (default when ``REDIS_URL`` is set),
``memory`` (tests that inspect the queue) or ``immediate`` (tests: a job runs when queued).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import Flask, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from app.db import after_commit
from app.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")

huey = Huey("wspolnie", storage_class=MemoryStorage, utc=True)

_worker_app: Flask | None = None


def configure(app: Flask) -> None:
    """Point the queue at the storage the app's settings ask for."""
    global _worker_app
    backend = app.config["JOBS_BACKEND"]
    huey.immediate = False
    if backend == "immediate":
        huey.storage = MemoryStorage(huey.name)
        huey.immediate = True
    elif backend == "memory":
        huey.storage = MemoryStorage(huey.name)
    elif backend == "redis":
        huey.storage = RedisStorage(huey.name, url=app.config["REDIS_URL"])
    elif backend == "sqlite":
        path = Path(app.config.get("JOBS_SQLITE_PATH") or Path(app.instance_path) / "jobs.sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage = SqliteStorage(huey.name, filename=str(path))
    else:
        raise ValueError(f"unknown JOBS_BACKEND {backend!r}")
    _worker_app = app


def _in_app_context(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        if _worker_app is None:
            raise RuntimeError("no app configured for jobs: create_app() first")
        with _worker_app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def task(*, retries: int = 0, retry_delay: int = 0, retry_backoff: float = 0, **options):
    """Declare a background job (a Huey task that runs in the app context)."""

    def decorator(function):
        return huey.task(
            retries=retries,
            retry_delay=retry_delay,
            retry_backoff=retry_backoff,
            name=function.__name__,  # Huey prefixes the module
            **options,
        )(_in_app_context(function))

    return decorator


def warsaw_crontab(**fields):
    """A crontab read on Warsaw wall-clock time (Huey hands the scheduler naive UTC)."""
    matches = crontab(**fields)

    def validate(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone(WARSAW).replace(tzinfo=None)
        return matches(local)

    return validate


def periodic(**fields):
    """Declare a periodic job on Warsaw time, e.g. ``@periodic(hour="18", minute="0")``.
    The job holds a lock while it runs: a slow run is never overlapped by the next one."""

    def decorator(function):
        name = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def locked(*args, **kwargs):
            with huey.lock_task(name):
                return function(*args, **kwargs)

        return huey.periodic_task(warsaw_crontab(**fields), name=function.__name__)(
            _in_app_context(locked)
        )

    return decorator


def enqueue_after_commit(job, *args, **kwargs) -> None:
    """Queue ``job(*args, **kwargs)`` once the current transaction commits."""
    after_commit(db.session, lambda: job(*args, **kwargs))


def init_app(app: Flask) -> None:
    configure(app)
    # Every module that declares jobs is imported, so the worker knows them all.
    from app import mail  # noqa: F401

    app.extensions["huey"] = huey

    @app.cli.group("jobs")
    def jobs_group():
        """Background jobs (mail delivery, periodic jobs)."""

    @jobs_group.command("worker")
    @click_option_workers
    def worker_command(workers: int, periodic_jobs: bool):
        """Run the job consumer (mail delivery and, unless --no-periodic, the scheduler)."""
        from huey.consumer_options import ConsumerConfig

        config = ConsumerConfig(workers=workers, periodic=periodic_jobs, worker_type="thread")
        config.setup_logger()
        huey.create_consumer(**config.values).run()

    @jobs_group.command("list")
    def list_command():
        """List the periodic jobs."""
        for name in periodic_job_names():
            click.echo(name)


def click_option_workers(function):
    function = click.option(
        "--periodic/--no-periodic",
        "periodic_jobs",
        default=True,
        help="Run the periodic scheduler (exactly one consumer should).",
    )(function)
    return click.option("--workers", "-w", default=2, show_default=True)(function)


def job_name(job) -> str:
    """A job's full name, e.g. ``app.volunteering.tasks.send_reminders`` (a task class or a
    task instance, as ``huey.read_periodic`` gives them)."""
    return huey._registry.task_to_string(job if isinstance(job, type) else type(job))


def periodic_job_names() -> list[str]:
    return sorted(job_name(job) for job in huey._registry._periodic_tasks)


def queued_count() -> int:
    """How many jobs wait in the queue (for tests and the operator)."""
    return huey.pending_count()
