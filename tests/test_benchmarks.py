"""Every benchmark under bench/ runs here on tiny data, so none of them rots (one of the first
wave's no longer started). The figures they report at full size are in docs/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.helpers import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[1]


def run_bench(*args: str, timeout: int = 240) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SEARCH_PRELOAD_LEMMAS": "false"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def scratch_pg(name: str) -> str:
    url = sa.make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def test_search_benchmark_runs(worker_id):
    args = ["bench/search_bench.py", "--sizes", "30", "--runs", "1"]
    if TEST_DATABASE_URL:
        args += ["--pg", scratch_pg(f"wspolnie_bench_search_{worker_id}")]
    output = run_bench(*args)
    assert "sqlite, 30 organisations" in output


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="the matching benchmark runs on PostgreSQL")
def test_space_matching_benchmark_runs(worker_id):
    database = scratch_pg(f"wspolnie_bench_spaces_{worker_id}")
    output = run_bench(
        "bench/bench_matching_spaces.py",
        *("--spaces", "4", "--bookings", "20", "--runs", "2", "--database", database),
    )
    assert output.strip()


@pytest.mark.dictionary_load
def test_lemmatiser_cost_benchmark_runs():
    output = run_bench("bench/lemmatiser_cost.py")
    assert "first search answered" in output and "imported by the app at start: False" in output


def test_feeds_benchmark_runs(worker_id):
    args = ["bench/feeds_bench.py", "--events", "30", "--runs", "2"]
    if TEST_DATABASE_URL:
        args += ["--pg", scratch_pg(f"wspolnie_bench_feeds_{worker_id}")]
    output = run_bench(*args)
    assert "30 events" in output and "GET 304" in output


def test_data_generator_and_bench_run_run(worker_id, tmp_path):
    """bench/run on tiny data (which runs bench/generate.py): every page answers, the report is
    written, gunicorn and the bare app serve."""
    out = tmp_path / "performance.md"
    args = ["--scale", "tiny", "--runs", "1", "--seconds", "0.3", "--out", str(out)]
    args += ["--label", f"test-{worker_id}"]
    if TEST_DATABASE_URL:
        args += [
            "--db",
            "sqlite",
            "postgresql",
            "--pg",
            scratch_pg(f"wspolnie_bench_run_{worker_id}"),
        ]
    result = subprocess.run(
        [str(ROOT / "bench" / "run"), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SEARCH_PRELOAD_LEMMAS": "false"},
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = out.read_text()
    assert "### tiny scale, sqlite" in report and "| ratio |" in report
    assert " 500 |" not in report and "| errors | 0 |" in report
