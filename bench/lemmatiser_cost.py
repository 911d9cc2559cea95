"""What search costs a web worker: resident memory and the time to the first search answer.

Runs ``gunicorn -w 1`` on 127.0.0.1 over a fresh SQLite database with a few organisations, times
from the start of gunicorn to the first answered search (an inflected word, so the lemma path is
used), then reads the worker's resident set after a few dozen searches::

    .venv/bin/python bench/lemmatiser_cost.py [--searches 40]

The figures are in docs/search.md ("The lemmatiser and the web worker").
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["seniorami", "dziećmi", "ksiegowosci", "fundacja", "rubinkowo", "młodzieżą"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(directory: Path) -> str:
    """A migrated database with a few organisations (indexed here, outside the server)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.organisations import service as orgs
    from app.unit_of_work import transaction

    url = f"sqlite:///{directory / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        with transaction():
            for name, description in [
                ("Klub Seniora Rubinkowo", "Spotkania dla seniorów przy kawie."),
                ("Fundacja Dzieciaki", "Zabawy z dziećmi na podwórku."),
                ("Biuro Rachunkowe NGO", "Księgowość organizacji pozarządowych."),
                ("Stowarzyszenie Sportowe Start", "Zajęcia z seniorami i młodzieżą."),
            ]:
                organisation = orgs.create_organisation(None, name=name)
                orgs.update_profile(organisation, description=description, competence_ids=[])
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        url = prepare(directory)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(directory),
            "JOBS_BACKEND": "sqlite",
            "RATELIMIT_ENABLED": "false",
            "STATIC_HASHED": "false",  # like for like with the figures before it existed
        }
        command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
        started = time.perf_counter()
        server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            first = up = None
            while time.perf_counter() - started < args.timeout:
                try:  # the server is up once it answers at all (the app is imported)
                    with urllib.request.urlopen(f"{base}/healthz", timeout=60):
                        up = time.perf_counter() - started
                    break
                except urllib.error.HTTPError:  # a version without /healthz: up all the same
                    up = time.perf_counter() - started
                    break
                except OSError:
                    time.sleep(0.05)
            if up is not None:
                asked = time.perf_counter()
                with urllib.request.urlopen(f"{base}/szukaj/?q=seniorami", timeout=120) as r:
                    if r.status == 200 and "Rubinkowo" in r.read().decode():
                        first = time.perf_counter() - started
                first_latency = time.perf_counter() - asked
            if first is None:
                raise SystemExit("no search answered in time")
            timings = []
            for i in range(args.searches):
                query = urllib.request.quote(QUERIES[i % len(QUERIES)])
                t0 = time.perf_counter()
                with urllib.request.urlopen(f"{base}/szukaj/?q={query}", timeout=60) as r:
                    r.read()
                timings.append((time.perf_counter() - t0) * 1000)
            workers = children(server.pid)
            timings.sort()
            print(f"first search answered {first:.2f} s after gunicorn started")
            print(f"  server up (app imported) after {up:.2f} s; the first search took "
                  f"{first_latency * 1000:.0f} ms")  # fmt: skip
            print(f"search p50 {timings[len(timings) // 2]:.1f} ms over {len(timings)} requests")
            for pid in workers:
                print(f"worker RSS {rss_mb(pid):.0f} MB (master {rss_mb(server.pid):.0f} MB)")
            imported = subprocess.run(
                [sys.executable, "-c", "import sys, wsgi; print('simplemma' in sys.modules)"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            print(f"simplemma imported by the app at start: {imported}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
