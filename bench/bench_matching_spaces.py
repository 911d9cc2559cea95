"""Venue-matching latency on PostgreSQL: p50/p95 of ``match_venues`` for random needs.

    .venv/bin/python bench/bench_matching_spaces.py --spaces 300 --bookings 50000
    .venv/bin/python bench/bench_matching_spaces.py --spaces 10000 --bookings 1000000

Builds a scratch database (``--database``, dropped and recreated) with the real migrations,
fills it with the benchmark data generator (bench/generate.py: COPY, bookings never overlap
within a room), then times the matching service as the app calls it. Figures are recorded in
docs/spaces.md and docs/performance.md. (It used to fill the tables with raw INSERTs of its
own, which broke whenever the schema gained a column.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from datetime import time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.extensions import db
from app.spaces.vocab import ACCESSIBILITY, DISTRICTS, EQUIPMENT
from bench.generate import PAST_DAYS, SLOT_HOURS, Scale, bench_app, generate, recreate


def scale_for(spaces: int, bookings: int) -> Scale:
    """Rooms and bookings as asked; just enough of the rest to own them."""
    providers = max(1, spaces // 10)
    return Scale(
        organisations=20, opportunities=0, shifts=0, providers=providers, spaces=spaces,
        bookings=bookings, users=20 + providers + 2,
    )  # fmt: skip


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

    from app.timeutil import local_today

    url = args.database if args.keep else recreate(args.database)
    app = bench_app(url.replace("postgresql://", "postgresql+psycopg://", 1))
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context(), app.test_request_context():
        if not args.keep:
            upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
            began = clock.perf_counter()
            generate(db.session, scale_for(args.spaces, args.bookings))
            print(
                f"filled {args.spaces} spaces, {args.bookings} bookings "
                f"in {clock.perf_counter() - began:.1f} s"
            )
        from app.spaces.matching import Need, match_venues
        from app.spaces.models import Recurrence, TermsKind

        rng = random.Random(42)
        # Days that have bookings, from today on (bench/generate.py: four a day per room).
        start = local_today()
        per_room = max(1, args.bookings // args.spaces)
        horizon = max(1, per_room // len(SLOT_HOURS) - PAST_DAYS)
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
