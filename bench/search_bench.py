"""Search latency on a synthetic organisation base: p50/p95 for 2,000 and 100,000 organisations
on SQLite and PostgreSQL.

    .venv/bin/python bench/search_bench.py                        # SQLite, 2,000 and 100,000
    .venv/bin/python bench/search_bench.py --pg postgresql://postgres@127.0.0.1:5432/wspolnie_bench
    .venv/bin/python bench/search_bench.py --sizes 2000 --runs 5

Each size gets a fresh database built by the migrations (the PostgreSQL database is dropped and
created again). Rows are generated from a pool of realistic Polish sentences and written with
bulk inserts (executemany in batches); the search index is filled through the same
``document_values`` / ``add_terms`` functions the app uses, so triggers and terms are real.

Two operations are timed for each query of QUERIES: the service-wide search (the header box:
counts per kind plus the best 10 hits) and the organisation list with a query (count, one page
and the five facet counts).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

QUERIES = [
    "seniorzy", "seniorów", "dzieci", "dziećmi", "księgowość", "ksiegowosc", "ksieg", "rubinkowo",
    "podgórz", "wisla", "fundacja", "stowarzyszenie sport", "pomoc prawna", "uchodźcy ukraina",
    "ekologia ogród", "rubinkowp", "ksiegowsc", "młodzież teatr", "niepełnosprawnych", "zwierzęta",
]  # fmt: skip

PREFIXES = ("Fundacja", "Stowarzyszenie", "Klub", "Towarzystwo", "Stowarzyszenie Przyjaciół",
            "Fundacja Wspierania", "Uczniowski Klub Sportowy", "Koło Gospodyń")  # fmt: skip
NAME_WORDS = (
    "Złota Jesień", "Młodzi", "Razem", "Zielony Toruń", "Czysta Wisła", "Dom Otwarty", "Bez Barier",
    "Krok Dalej", "Nowy Start", "Pamięć Miasta", "Sąsiedzi", "Kompas", "Przystań", "Wspólna Sprawa",
    "Dobre Serce", "Nadzieja", "Horyzont", "Most", "Iskra", "Kopernik", "Piernik", "Barbakan",
    "Ogrody", "Szachy", "Teatr", "Chór", "Rowerowy", "Biegowy", "Seniorzy", "Dzieciaki",
)  # fmt: skip


def sentences() -> list[str]:
    from app.organisations.demo_data import THEMES

    pool = []
    for _areas, _competences, description, projects, offers in THEMES.values():
        pool += [s.strip() + "." for s in description.split(". ") if s.strip()]
        pool += [f"Projekt {title} finansowany: {funder}." for title, *_x, funder in projects]
        pool += [f"Oferujemy: {title}." for _kind, title in offers]
    return pool


def generate(session, count: int, seed: int = 7) -> None:
    """Bulk-insert ``count`` organisations with areas, districts and their search documents."""
    from app.db import utcnow
    from app.districts import DISTRICTS
    from app.organisations.demo_data import THEMES
    from app.organisations.models import Organisation, OrganisationArea, OrganisationDistrict
    from app.search.models import SearchDocument
    from app.search.service import add_terms
    from app.search.text import fold, index_terms

    rng = random.Random(seed)
    pool = sentences()
    pool_terms = [index_terms(s) for s in pool]  # normalise each sentence once
    themes = list(THEMES.values())
    district_names = dict(DISTRICTS)
    now = utcnow()
    batch = 5000
    started = time.perf_counter()
    for start in range(0, count, batch):
        organisations, areas, districts, documents = [], [], [], []
        for number in range(start + 1, min(count, start + batch) + 1):
            areas_, competences, *_ = themes[number % len(themes)]
            name = (
                f"{rng.choice(PREFIXES)} {rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)} {number}"
            )
            picked = rng.sample(range(len(pool)), 4)
            description = " ".join(pool[i] for i in picked)
            codes = rng.sample([c for c, _n in DISTRICTS], 2)
            organisations.append({
                "id": number, "name": name, "slug": f"org-{number}", "krs": f"{number:010d}",
                "short_description": pool[picked[0]][:300], "description": description,
                "profile_updated_at": now, "created_at": now, "updated_at": now,
                "legal_form": "foundation" if name.startswith("Fundacja") else "association",
            })  # fmt: skip
            areas += [{"organisation_id": number, "code": c} for c in areas_]
            districts += [{"organisation_id": number, "code": c} for c in codes]
            keywords = " ".join([*competences, *(district_names[c] for c in codes)])
            documents.append({
                "kind": "organisation", "ref_id": number, "title": name, "sort_key": fold(name),
                "summary": pool[picked[0]][:500], "url_key": f"org-{number}",
                "title_terms": index_terms(name), "keywords_terms": index_terms(keywords),
                "body_terms": " ".join(pool_terms[i] for i in picked), "updated_at": now,
            })  # fmt: skip
        session.execute(sa.insert(Organisation), organisations)
        session.execute(sa.insert(OrganisationArea), areas)
        session.execute(sa.insert(OrganisationDistrict), districts)
        session.execute(sa.insert(SearchDocument), documents)
        add_terms(documents, session=session)
        session.commit()
        print(
            f"  {min(count, start + batch):>7} rows  {time.perf_counter() - started:6.1f} s",
            flush=True,
        )
    # The lemma table queries read (app/search/lemmas.py): every word the generated texts use.
    from app.search.lemmas import learn
    from app.search.text import words

    texts = [*pool, *PREFIXES, *NAME_WORDS, *district_names.values()]
    texts += [" ".join(theme[1]) for theme in themes]
    learn(session, sorted({word for text in texts for word in words(text)}))
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT setval('organisations_id_seq', :n)"), {"n": count})
        session.commit()
        with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        session.execute(sa.text("ANALYZE"))
        session.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        session.commit()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(url: str, size: int, runs: int, existing: bool = False) -> dict:
    from flask_migrate import upgrade
    from werkzeug.datastructures import MultiDict

    from app import create_app
    from app.extensions import db
    from app.organisations.service import Filters, list_organisations
    from app.search.lemmatiser import lemma
    from app.search.service import search

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context(), app.test_request_context():
        upgrade(directory=str(ROOT / "migrations"))
        lemma("test")  # the dictionary is loaded before timing
        started = time.perf_counter()
        if not existing:
            generate(db.session, size)
        generated = time.perf_counter() - started
        timings: dict[str, list[float]] = {"search": [], "list": []}
        hits = {}
        for query in QUERIES:  # warm-up
            hits[query] = search(query)[0].get("organisation", 0)
            list_organisations(Filters.from_args(MultiDict({"q": query})))
        for _ in range(runs):
            for query in QUERIES:
                t = time.perf_counter()
                search(query)
                timings["search"].append(time.perf_counter() - t)
                t = time.perf_counter()
                list_organisations(Filters.from_args(MultiDict({"q": query})))
                timings["list"].append(time.perf_counter() - t)
                db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return {
        "generated_s": generated,
        "hits": hits,
        **{
            f"{name}_{p}": percentile(values, share) * 1000
            for name, values in timings.items()
            for p, share in (("p50", 0.5), ("p95", 0.95))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 100_000])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pg", help="PostgreSQL URL of a scratch database (dropped and created)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--existing",
        help="URL of a kept, already generated database: measured as it is (migrated to head)",
    )
    args = parser.parse_args()
    if args.existing:
        import os

        started = os.getloadavg()[0]
        result = measure(args.existing, 0, args.runs, existing=True)
        print(
            f"search p50 {result['search_p50']:.1f} ms, p95 {result['search_p95']:.1f} ms;"
            f" list p50 {result['list_p50']:.1f} ms, p95 {result['list_p95']:.1f} ms;"
            f" load {started:.1f} -> {os.getloadavg()[0]:.1f}; hits {result['hits']}"
        )
        return

    from tests.helpers import recreate_pg_database  # the same helper the test suite uses

    results = []
    for size in args.sizes:
        targets = []
        if not args.no_sqlite:
            path = Path(tempfile.mkdtemp()) / "bench.sqlite"
            targets.append(("sqlite", f"sqlite:///{path}"))
        if args.pg:
            import os

            os.environ["TEST_DATABASE_URL"] = args.pg
            import tests.helpers as helpers

            helpers.TEST_DATABASE_URL = args.pg
            name = sa.make_url(args.pg).database
            targets.append(("postgresql", recreate_pg_database(name)))
        for backend, url in targets:
            print(f"{backend}, {size} organisations:", flush=True)
            result = measure(url, size, args.runs)
            results.append((backend, size, result))
            print(
                f"  search p50 {result['search_p50']:.1f} ms, p95 {result['search_p95']:.1f} ms;"
                f" list p50 {result['list_p50']:.1f} ms, p95 {result['list_p95']:.1f} ms",
                flush=True,
            )
    print(
        "\n| database | organisations | search p50 | search p95 | list+facets p50 | list+facets p95 | generation |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend, size, r in results:
        print(
            f"| {backend} | {size:,} | {r['search_p50']:.1f} ms | {r['search_p95']:.1f} ms "
            f"| {r['list_p50']:.1f} ms | {r['list_p95']:.1f} ms | {r['generated_s']:.0f} s |"
        )
    hits = {(b, s): r["hits"] for b, s, r in results}
    for size in args.sizes:
        same = {b: h for (b, s), h in hits.items() if s == size}
        if len(same) == 2:
            sqlite_hits, pg_hits = same["sqlite"], same["postgresql"]
            print(f"{size}: same hit counts on both databases: {sqlite_hits == pg_hits}")


if __name__ == "__main__":
    main()
