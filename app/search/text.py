"""Polish-aware text normalisation shared by indexing and querying.

Every word becomes a few *terms*, all folded to lower-case ASCII-like letters (diacritics removed,
including ł/Ł, which Unicode does not decompose):

- the surface form ("seniorami" -> "seniorami", "Łódź" -> "lodz");
- its lemma ("dziećmi" -> "dziecko", "seniorów" -> "senior"), given by the caller: looked up in
  the ``search_lemmas`` table (``app.search.lemmas``), which the processes that hold simplemma's
  dictionary fill (``app.search.lemmatiser``; never loaded by the web process);
- a light suffix-stripped stem ("seniorami" -> "senior"), which catches forms the dictionary
  lemmatises badly and words typed without diacritics, which the dictionary does not know.

The database never sees raw text: both SQLite FTS5 and PostgreSQL index these space-separated
terms, so both backends match exactly the same terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Letters Unicode does not decompose into base + combining mark.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae"})

# Inflectional endings of Polish nouns and adjectives, folded, longest first.
_SUFFIXES = tuple(
    sorted(
        {
            "ami", "ach", "owi", "ow", "om", "iem", "em", "ie", "ej", "ego", "emu", "ymi", "imi",
            "ych", "ich", "ym", "im", "iej", "a", "e", "i", "o", "u", "y",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
MIN_STEM = 4

# Words too common to narrow a query ("fundacja dla seniorów" means "fundacja seniorów").
STOP_WORDS = frozenset(
    [
        "a",
        "aby",
        "ale",
        "czy",
        "dla",
        "do",
        "i",
        "jak",
        "jest",
        "lub",
        "na",
        "nad",
        "o",
        "od",
        "oraz",
        "po",
        "pod",
        "przez",
        "s",
        "sa",
        "sie",
        "ta",
        "te",
        "to",
        "w",
        "we",
        "z",
        "za",
        "ze",
    ]
)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Łódź" -> "lodz", "KSIĘGOWOŚĆ" -> "ksiegowosc"."""
    text = text.translate(_EXTRA_FOLDS).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def stem(folded: str) -> str:
    """Strip one inflectional ending when a reasonable stem remains."""
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= MIN_STEM:
            return folded[: -len(suffix)]
    return folded


def word_terms(word: str, lemma: str | None = None) -> tuple[str, ...]:
    """The index terms of one lower-case word: surface, lemma (when known), stem (deduplicated,
    folded)."""
    surface = fold(word)
    terms = [surface]
    if not surface.isdigit():
        for term in (lemma, stem(surface)):
            if term and term not in terms:
                terms.append(term)
    return tuple(terms)


def index_terms(*texts: str, lemmas: Mapping[str, str] | None = None) -> str:
    """Space-separated terms of ``texts``, in order of appearance, for the full-text index.
    ``lemmas`` maps lower-case words to folded lemmas; without it the dictionary is asked
    (``app.search.lemmatiser``: for commands, jobs and tests, never the web process)."""
    if lemmas is None:
        from app.search import lemmatiser

        lemmas = lemmatiser.LemmaLookup()
    out: list[str] = []
    for text in texts:
        for word in words(text or ""):
            out.extend(word_terms(word, lemmas.get(word)))
    return " ".join(out)


def query_words(query: str) -> list[str]:
    """The words of a query, minus stop words (unless nothing else is left)."""
    found = words(query)[:12]
    meaningful = [w for w in found if fold(w) not in STOP_WORDS]
    return meaningful or found


def damerau_distance_at_most_one(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]
