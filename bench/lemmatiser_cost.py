"""What simplemma's Polish dictionary costs: load time and resident memory, measured in a fresh
process (``.venv/bin/python bench/lemmatiser_cost.py``). Also times app creation, to show the
app does not pay for the dictionary at start (it is loaded in a background thread)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    started = time.perf_counter()
    from app import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    print(
        f"create_app (no dictionary): {time.perf_counter() - started:.2f} s, RSS {rss_mb():.0f} MB"
    )

    from app.search import text

    before = rss_mb()
    started = time.perf_counter()
    text.lemma("seniorów")
    print(f"simplemma Polish dictionary: load {time.perf_counter() - started:.2f} s, "
          f"+{rss_mb() - before:.0f} MB RSS")  # fmt: skip
    words = ["seniorami", "dziećmi", "księgowości", "organizacjami", "Toruniu"] * 20000
    started = time.perf_counter()
    for word in words:
        text.lemma.__wrapped__(word)
    per_word = (time.perf_counter() - started) / len(words) * 1e6
    print(f"lemma per word (uncached): {per_word:.1f} µs; cached lookups are ~0.1 µs")


if __name__ == "__main__":
    main()
