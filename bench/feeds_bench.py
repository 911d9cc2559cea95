"""Private provider feed: build time (cold and warm), a full 200 over HTTP, and a 304.

    .venv/bin/python bench/feeds_bench.py --events 5000
    .venv/bin/python bench/feeds_bench.py --events 5000 --pg postgresql://postgres@127.0.0.1:5432/wspolnie_bench_feeds

Makes a scratch database with the real migrations (a SQLite file, or the PostgreSQL database given,
dropped and recreated), one provider with ten rooms and ``--events`` bookings spread over them
(none overlapping, a third of them with public titles), then asks the app's own route through the
test client. Figures are recorded in docs/calendars.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

ROOMS = 10


def recreate_pg(url: str) -> None:
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def fill(events: int) -> str:
    """One provider, ten rooms, ``events`` bookings; returns the manager's feed URL path."""
    from app.accounts.models import User
    from app.calendars.service import feed_token, provider_scope
    from app.extensions import db
    from app.organisations.models import Organisation
    from app.spaces.models import (
        Booking,
        BookingSeries,
        BookingStatus,
        Provider,
        ProviderKind,
        ProviderManager,
        Recurrence,
        Space,
    )

    manager = User(email="bench@example.org", name="Bench", password_hash="x")
    provider = Provider(name="Szkoła Benchmarkowa", slug="bench", kind=ProviderKind.SCHOOL)
    provider.managers.append(ProviderManager(user=manager))
    organisation = Organisation(name="Fundacja Pomiarowa", slug="pomiarowa")
    rooms = [
        Space(
            provider=provider,
            name=f"Sala {n}",
            slug=f"sala-{n}",
            capacity=30,
            address="ul. Testowa 1",
        )
        for n in range(ROOMS)
    ]
    db.session.add_all([manager, provider, organisation, *rooms])
    db.session.flush()
    start = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0) - timedelta(
        days=30
    )
    rows = []
    for index in range(events):
        room, day = rooms[index % ROOMS], index // ROOMS
        series = BookingSeries(
            space_id=room.id,
            organisation_id=organisation.id,
            purpose=f"Zajęcia nr {index}: próba chóru, ćwiczenia",
            people=10,
            is_public=index % 3 == 0,
            public_title=f"Koncert „Łąka” {index}" if index % 3 == 0 else "",
            recurrence=Recurrence.ONCE,
            first_day=(start + timedelta(days=day)).date(),
            start_time=start.time(),
            end_time=(start + timedelta(hours=2)).time(),
        )
        db.session.add(series)
        rows.append((series, room, start + timedelta(days=day)))
    db.session.flush()
    db.session.execute(
        sa.insert(Booking),
        [
            {
                "series_id": series.id,
                "space_id": room.id,
                "starts_at": at,
                "ends_at": at + timedelta(hours=2),
                "blocked_until": at + timedelta(hours=2, minutes=15),
                "status": BookingStatus.APPROVED,
            }
            for series, room, at in rows
        ],
    )
    token = feed_token(provider_scope(provider.id), manager.id)
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))  # as autovacuum / a busy database would have
    db.session.commit()
    return f"/kalendarze/prywatny/{token}.ics"


def timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = clock.perf_counter()
        call()
        times.append((clock.perf_counter() - began) * 1000)
    return times


def measure(url: str, events: int, runs: int) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.calendars import feeds, ical
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        path = fill(events)
        from app.spaces.models import Provider

        provider = db.session.scalar(sa.select(Provider))
        condition = feeds.provider_condition(provider)
        client = app.test_client()
        with app.test_request_context():
            ical.vevent_bytes.cache_clear()
            cold = timed(lambda: feeds.build_private_feed(provider.name, condition), 1)[0]
            warm = timed(lambda: feeds.build_private_feed(provider.name, condition), runs)
            size = len(feeds.build_private_feed(provider.name, condition))
        first = client.get(path)
        assert first.status_code == 200, first.status_code
        etag = first.headers["ETag"]
        full = timed(lambda: client.get(path), runs)
        gzipped = client.get(path, headers={"Accept-Encoding": "gzip"})
        zipped = timed(lambda: client.get(path, headers={"Accept-Encoding": "gzip"}), runs)

        def revalidate():
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

        not_modified = timed(revalidate, runs)
    dialect = sa.make_url(url).get_backend_name()
    print(
        f"{dialect}, {events} events, {size / 1e6:.2f} MB ({len(gzipped.data) / 1e6:.2f} MB gzip)"
    )
    print(f"  build cold            {cold:8.1f} ms")
    print(f"  build warm   p50      {statistics.median(warm):8.1f} ms   max {max(warm):.1f} ms")
    print(f"  GET 200      p50      {statistics.median(full):8.1f} ms")
    print(f"  GET 200 gzip p50      {statistics.median(zipped):8.1f} ms")
    print(
        f"  GET 304      p50      {statistics.median(not_modified):8.1f} ms   max {max(not_modified):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pg", help="PostgreSQL URL of a scratch database (dropped and created)")
    args = parser.parse_args()
    if args.pg:
        recreate_pg(args.pg)
        measure(args.pg, args.events, args.runs)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            measure(f"sqlite:///{scratch}/feeds.sqlite", args.events, args.runs)


if __name__ == "__main__":
    main()
