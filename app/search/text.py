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
thread when the app starts (``preload_lemmas``); lemmas are cached per word. A fork (``gunicorn
--preload`` forks its workers right after importing the app) waits for a load in progress, so
the children inherit the whole dictionary; see ``_before_fork``.
"""

from __future__ import annotations

import os
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

# How long a fork waits for a dictionary load in progress before going ahead without it.
FORK_WAIT_SECONDS = 60.0

_lemma_lock = threading.Lock()
_lemma_ready = threading.Event()
_lemmatize = None
_preload_requested = False
_preloader: threading.Thread | None = None
_lock_held_for_fork = False
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
    global _preload_requested, _preloader
    _preload_requested = True
    if _lemma_ready.is_set():
        return None
    if _preloader is not None and _preloader.is_alive():
        return _preloader
    # Imported here, in the caller's thread, not by the preload thread: a fork while that thread
    # was inside `import simplemma` would leave the child with the module's import lock held by
    # a thread that does not exist there (importlib does not reset module locks at fork). The
    # load itself imports nothing more.
    import simplemma  # noqa: F401

    _preloader = threading.Thread(target=_load_lemmatiser, name="simplemma-preload", daemon=True)
    _preloader.start()
    return _preloader


# --- fork safety (gunicorn --preload) ------------------------------------------------------------
#
# A fork copies only the thread that called it. If the preload thread held _lemma_lock at that
# moment, the child's copy of the lock stays held for ever and the first lemma() there hangs.
# That is exactly what `gunicorn --preload` did: its master imports the app (starting the
# preload) and forks the workers a few milliseconds later.
#
# So a fork first waits for a load in progress (bounded by FORK_WAIT_SECONDS). Under --preload
# that amounts to loading synchronously in the master before the first worker: every worker
# starts with the whole dictionary, shared copy-on-write with the master, rather than each
# loading its own 350 MB. Waiting at the fork rather than loading synchronously in create_app
# needs no guess about whether a server will fork: `flask run` or a server without --preload
# never forks after the app is created and keeps the background load, and any other forking
# server is covered too.
#
# The child then starts over from what is complete: a new lock and, if the dictionary was not
# loaded (the wait timed out), no half-loaded state, and a new preload if one was requested.
# simplemma (checked: 2.0) has no locks of its own; its dictionary and lemmatiser caches are
# functools lru_caches, which store a result only once it is complete and stay coherent across
# threads, so a load cut short by the fork is simply absent from the child's cache and is redone
# there. The lzma reader and partial data of a load cut short belonged to the vanished thread:
# nothing reaches them (their memory stays allocated, shared with the parent).


def _before_fork() -> None:
    global _lock_held_for_fork
    _lock_held_for_fork = False
    if not _lemma_ready.is_set():
        _lock_held_for_fork = _lemma_lock.acquire(timeout=FORK_WAIT_SECONDS)


def _after_fork_in_parent() -> None:
    global _lock_held_for_fork
    if _lock_held_for_fork:
        _lock_held_for_fork = False
        _lemma_lock.release()


def _after_fork_in_child() -> None:
    global _lemma_lock, _lemma_ready, _preloader, _lock_held_for_fork
    _lemma_lock = threading.Lock()
    _lock_held_for_fork = False
    _preloader = None  # threads do not survive a fork
    _lemma_ready = threading.Event()
    if _lemmatize is not None:  # set only once the dictionary is loaded
        _lemma_ready.set()
    elif _preload_requested:
        preload_lemmas()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )


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
