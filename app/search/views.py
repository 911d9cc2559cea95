from flask import request

from app.rendering import render
from app.search.blueprint import bp
from app.search.counting import capped, count_cap
from app.search.kinds import ordered_kinds
from app.search.service import search

PER_SECTION = 10


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()[:200]
    counts, hits = search(query, limit=PER_SECTION) if query else ({}, {})
    sections = [
        (kind, counts.get(kind.name, 0), hits.get(kind.name, [])) for kind in ordered_kinds()
    ]
    return render(
        "search/index.html",
        "results",
        query=query,
        sections=sections,
        # Above the cap a count is cap + 1: the total is then "more than" the sum of the shown
        # counts (each at most the cap), a true lower bound.
        total=sum(min(n, count_cap()) for n in counts.values()),
        total_capped=any(capped(n) for n in counts.values()),
        capped=capped,
        cap=count_cap(),
        per_section=PER_SECTION,
    )
