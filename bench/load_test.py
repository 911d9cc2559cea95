"""A bounded load test: gunicorn on 127.0.0.1 over a fresh copy of the demo data, then the Locust
scenario of bench/locustfile.py for a fixed time; prints requests per second and errors.

    .venv/bin/pip install -e '.[load]'
    .venv/bin/python bench/load_test.py --users 8 --seconds 30 --workers 2

Locust is an optional extra (``load``), not a dependency of the app.
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(directory: Path) -> str:
    from flask_migrate import upgrade

    from app import create_app
    from app.demo import load_demo_data

    url = f"sqlite:///{directory / 'load.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo_data()
    return url


def wait_until_up(base: str, timeout: float = 60) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        url = prepare(directory)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "load-test",
            "INSTANCE_PATH": str(directory),
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "RATELIMIT_ENABLED": "false",
            # The page cache needs a shared backend across the workers (app/page_cache.py).
            "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "CACHE_KEY_PREFIX": f"wspolnie-load-{os.getpid()}:",
            "LOG_FORMAT": "text",
            "JOBS_BACKEND": "sqlite",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until_up(base)
            prefix = directory / "locust"
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                 "--host", base, "--headless", "-u", str(args.users), "-r", str(args.users),
                 "-t", f"{args.seconds}s", "--csv", str(prefix), "--only-summary",
                 "--stop-timeout", "5"],
                cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            with open(f"{prefix}_stats.csv", newline="") as handle:
                rows = list(csv.DictReader(handle))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{'name':<24} {'requests':>8} {'failures':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<24} {row['Request Count']:>8} {row['Failure Count']:>8} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7}"
        )


if __name__ == "__main__":
    main()
