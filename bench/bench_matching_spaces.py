"""Venue-matching latency on PostgreSQL: p50/p95 of ``match_venues`` for random needs.

    .venv/bin/python bench/bench_matching_spaces.py --spaces 300 --bookings 50000
    .venv/bin/python bench/bench_matching_spaces.py --spaces 10000 --bookings 1000000

Builds a scratch database (``--database``, dropped and recreated) with the real migrations,
fills it with generate_series (fast, no ORM) so bookings never overlap within a room, then
times the matching service as the app calls it. Figures are recorded in docs/spaces.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.spaces.vocab import ACCESSIBILITY, DISTRICTS, EQUIPMENT

FEATURES = list(EQUIPMENT) + list(ACCESSIBILITY)


def recreate(url: str) -> None:
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def fill(spaces: int, bookings: int, start: date) -> None:
    """Spaces in every district with hours 8–22 daily and random features; each room gets
    bookings of two hours on consecutive days at a room-specific hour (no overlaps)."""
    per_space = max(1, bookings // spaces)
    districts = list(DISTRICTS)
    statements = [
        "INSERT INTO providers (id, name, name_key, slug, kind, description, auto_approve_verified, created_at, updated_at) "
        "VALUES (1, 'Bench', 'bench', 'bench', 'city_unit', '', false, now(), now())",
        "INSERT INTO organisations (id, name, slug, profile_updated_at, created_at, updated_at) VALUES (1, 'Bench NGO', 'bench-ngo', now(), now(), now())",
        f"""INSERT INTO spaces (id, provider_id, slug, name, name_key, kind, description, capacity, address, district,
               house_rules, stock, active, min_notice_hours, max_length_minutes, max_days_ahead,
               buffer_minutes, terms, barter_terms, created_at, updated_at)
            SELECT g, 1, 'space-' || g, 'Sala ' || g, 'sala ' || g, 'room', '', 10 + (g * 7) % 90, '',
                   (ARRAY[{",".join(f"'{d}'" for d in districts)}])[1 + g % {len(districts)}],
                   '', 1, true, 0, 600, 3650, (g % 3) * 15,
                   (ARRAY['free','barter','fee'])[1 + g % 3], '', now(), now()
            FROM generate_series(1, {spaces}) g""",
        f"""INSERT INTO space_opening_hours (space_id, weekday, opens, closes)
            SELECT s, d, '08:00', '22:00' FROM generate_series(1, {spaces}) s, generate_series(0, 6) d""",
        f"""INSERT INTO space_features (space_id, code)
            SELECT DISTINCT s, (ARRAY[{",".join(f"'{f}'" for f in FEATURES)}])[1 + (s * k * 13) % {len(FEATURES)}]
            FROM generate_series(1, {spaces}) s, generate_series(1, 4) k""",
        f"""INSERT INTO booking_series (id, space_id, organisation_id, purpose, people, quantity, is_public,
               public_title, recurrence, first_day, start_time, end_time, created_at, updated_at)
            SELECT g, 1 + (g - 1) % {spaces}, 1, 'bench', 5, 1, false, '', 'once', DATE '{start}',
                   '17:00', '19:00', now(), now()
            FROM generate_series(1, {spaces * per_space}) g""",
        f"""INSERT INTO bookings (series_id, space_id, exclusive, quantity, starts_at, ends_at, blocked_until,
               status, sequence, status_reason, updated_at)
            SELECT g, sp, true, 1, t, t + interval '2 hours', t + interval '2 hours' + (sp % 3) * interval '15 minutes',
                   CASE WHEN g % 5 = 0 THEN 'pending' ELSE 'approved' END, 0, '', now()
            FROM (
              SELECT g, 1 + (g - 1) % {spaces} AS sp,
                     (TIMESTAMP '{start} 00:00' + ((g - 1) / {spaces}) * interval '1 day'
                        + (8 + ((g - 1) % {spaces}) % 12) * interval '1 hour') AT TIME ZONE 'Europe/Warsaw' AS t
              FROM generate_series(1, {spaces * per_space}) g
            ) x""",
        "SELECT setval(pg_get_serial_sequence('spaces', 'id'), (SELECT max(id) FROM spaces))",
        "SELECT setval(pg_get_serial_sequence('booking_series', 'id'), (SELECT max(id) FROM booking_series))",
        "ANALYZE",
    ]
    for statement in statements:
        db.session.execute(sa.text(statement))
        db.session.commit()
    return per_space


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spaces", type=int, default=300)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/wspolnie_bench_spaces"
    )
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = parser.parse_args()

    from flask_migrate import upgrade

    start = date.today() + timedelta(days=2)
    if not args.keep:
        recreate(args.database)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database,
            "SECRET_KEY": "bench",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context(), app.test_request_context():
        if not args.keep:
            upgrade()
            began = clock.perf_counter()
            per_space = fill(args.spaces, args.bookings, start)
            print(
                f"filled {args.spaces} spaces x {per_space} bookings in {clock.perf_counter() - began:.1f} s"
            )
        from app.spaces.matching import Need, match_venues
        from app.spaces.models import Recurrence, TermsKind

        rng = random.Random(42)
        horizon = max(1, args.bookings // args.spaces)
        timings = []
        found = 0
        for run in range(args.runs):
            hour = rng.randint(8, 19)
            need = Need(
                day=start + timedelta(days=rng.randrange(horizon)),
                start=time(hour),
                end=time(hour + 2),
                people=rng.choice([5, 10, 20, 40]),
                recurrence=Recurrence.WEEKLY if run % 4 == 0 else Recurrence.ONCE,
                count=4 if run % 4 == 0 else 1,
                equipment=rng.sample(list(EQUIPMENT), rng.randint(0, 1)),
                accessibility=rng.sample(list(ACCESSIBILITY), rng.randint(0, 1)),
                districts=rng.sample(list(DISTRICTS), rng.randint(0, 2)),
                terms=rng.sample(list(TermsKind), rng.randint(0, 2)),
            )
            began = clock.perf_counter()
            result = match_venues(need)
            timings.append((clock.perf_counter() - began) * 1000)
            found += bool(result.matches)
            db.session.rollback()
            db.session.expunge_all()
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"spaces={args.spaces} bookings={args.bookings} runs={args.runs} "
            f"p50={p50:.1f} ms p95={p95:.1f} ms max={timings[-1]:.1f} ms "
            f"(needs with matches: {found}/{args.runs})"
        )


if __name__ == "__main__":
    main()
