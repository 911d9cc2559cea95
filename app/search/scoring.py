"""The term-frequency part of a search score, by plain string functions that count the same on
SQLite and PostgreSQL (see ``app.search.service``): only for the hits that can make a page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from app.search.service import Alternative, CompiledQuery

# The score is tier * TIER_UNIT + weighted term frequency (capped below TIER_UNIT), so callers keep
# ordering by one column and a tier always outranks any frequency.
TIER_UNIT = 1000
TITLE_TIER, KEYWORDS_TIER, BODY_TIER = 4, 2, 1  # which columns match the whole query
TITLE_WEIGHT, KEYWORDS_WEIGHT, BODY_WEIGHT = TITLE_TIER, KEYWORDS_TIER, BODY_TIER


def occurrences(column, alternative: Alternative, postgres: bool):
    """How many terms of ``column`` are ``alternative`` (or start with it, for a prefix), by
    plain string functions that count the same on both databases. Terms are padded to
    "  a  b  " so that neighbouring matches do not share a space. A column that does not
    contain the term at all counts 0 after one search of it, without the padding and replaces
    (a keyword like "rubinkowo" tied 9,567 hits whose long bodies never mention it)."""
    padded = " " + sa.func.replace(column, " ", "  ") + " "
    needle = f" {alternative.term}" + ("" if alternative.prefix else " ")
    removed = sa.func.length(padded) - sa.func.length(sa.func.replace(padded, needle, ""))
    found = (sa.func.strpos if postgres else sa.func.instr)(column, alternative.term) > 0
    # A whole number of needles was removed: integer division is exact (numeric was slower).
    return sa.case((found, removed // len(needle)), else_=0)


def with_frequency(tiers, compiled: CompiledQuery, docs, postgres: bool):
    greatest = sa.func.greatest if postgres else sa.func.max
    least = sa.func.least if postgres else sa.func.min
    frequency = sa.literal(0)
    for weight, column in (
        (TITLE_WEIGHT, docs.c.title_terms),
        (KEYWORDS_WEIGHT, docs.c.keywords_terms),
        (BODY_WEIGHT, docs.c.body_terms),
    ):
        for group in compiled.groups:
            counts = [occurrences(column, a, postgres) for a in group]
            # The alternatives of one word overlap (surface, lemma, stem): count the best one.
            best = counts[0] if len(counts) == 1 else greatest(*counts)
            frequency = frequency + weight * best
    # least(), not a CASE: the CASE repeated the whole expression, evaluated twice per hit.
    return tiers * TIER_UNIT + least(frequency, TIER_UNIT - 1)
