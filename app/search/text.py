"""Polish-aware text normalisation shared by indexing and querying.

Every word becomes a few *terms*, all folded to lower-case ASCII-like letters (diacritics removed,
including ł/Ł, which Unicode does not decompose):

- the surface form ("seniorami" -> "seniorami", "Łódź" -> "lodz");
- its lemma from simplemma ("dziećmi" -> "dziecko", "seniorów" -> "senior");
- a light suffix-stripped stem ("seniorami" -> "senior"), which catches forms the dictionary
  lemmatises badly and words typed without diacritics, which the dictionary does not know.

The database never sees raw text: both SQLite FTS5 and PostgreSQL index these space-separated
terms, so both backends match exactly the same terms.

simplemma's Polish dictionary takes seconds to load and some 400 MB of memory (measured in
docs/search.md). It is loaded once per process, lazily on first use, or earlier in a background
thread when the app starts (``preload_lemmas``); lemmas are cached per word.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from functools import lru_cache

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

_lemma_lock = threading.Lock()
_lemma_ready = threading.Event()
_lemmatize = None
LOAD_STATS: dict[str, float] = {}


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


def _load_lemmatiser():
    global _lemmatize
    with _lemma_lock:
        if _lemmatize is None:
            started = time.perf_counter()
            import simplemma

            simplemma.lemmatize("test", lang="pl")  # loads the Polish dictionary
            _lemmatize = simplemma.lemmatize
            LOAD_STATS["seconds"] = time.perf_counter() - started
            _lemma_ready.set()
    return _lemmatize


def preload_lemmas() -> threading.Thread | None:
    """Load the dictionary in a background thread so no request pays for it."""
    if _lemma_ready.is_set():
        return None
    thread = threading.Thread(target=_load_lemmatiser, name="simplemma-preload", daemon=True)
    thread.start()
    return thread


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The folded lemma of a lower-case word (loads the dictionary on first use)."""
    lemmatize = _lemmatize or _load_lemmatiser()
    try:
        return fold(lemmatize(word, lang="pl"))
    except ValueError:  # simplemma refuses some odd tokens
        return fold(word)


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one lower-case word: surface, lemma, stem (deduplicated, folded)."""
    surface = fold(word)
    terms = [surface]
    if not surface.isdigit():
        for term in (lemma(word), stem(surface)):
            if term and term not in terms:
                terms.append(term)
    return tuple(terms)


def index_terms(*texts: str) -> str:
    """Space-separated terms of ``texts``, in order of appearance, for the full-text index."""
    out: list[str] = []
    for text in texts:
        for word in words(text or ""):
            out.extend(word_terms(word))
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
