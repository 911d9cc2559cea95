"""simplemma's Polish dictionary, for the processes that index: the job worker, commands, demo
loading and tests. The web process never imports this module (a test checks): the dictionary
costs some 360 MB per process and seconds to load (figures in docs/search.md).

What it gives the index: the lemma of a word, and every form the dictionary knows of a lemma
(``forms_of``), so ``search_lemmas`` can hold all forms of the lemmas the index contains and a
query in any of those forms finds its lemma by one lookup.

Loaded lazily, once per process, under a lock (the job worker runs jobs in threads). The inverse
map (lemma -> forms) is built on the first ``forms_of`` call from the same dictionary.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from app.search.text import fold

LANG = "pl"

_lock = threading.Lock()
_forms: dict[bytes, list[bytes]] | None = None


@lru_cache(maxsize=200_000)
def raw_lemma(word: str) -> str:
    """The dictionary's lemma of a lower-case word (as written, diacritics kept)."""
    import simplemma

    try:
        return simplemma.lemmatize(word, lang=LANG)
    except ValueError:  # simplemma refuses some odd tokens
        return word


def lemma(word: str) -> str:
    """The folded lemma of a lower-case word, as indexed."""
    return fold(raw_lemma(word))


def _raw_dictionary() -> dict[bytes, bytes]:
    """The loaded dictionary as simplemma keeps it (UTF-8 form -> lemma). Reading its bytes
    directly inverts it in ~6 s here; through the str mapping, decoding every entry, it took
    minutes."""
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    mapping = DEFAULT_DICTIONARY_FACTORY.get_dictionary(LANG)
    raw = getattr(mapping, "_dict", None)
    if isinstance(raw, dict):
        return raw
    return {form.encode(): lemma.encode() for form, lemma in mapping.items()}


def forms_of(raw: str) -> tuple[str, ...]:
    """Every lower-case form the dictionary maps to the lemma ``raw`` (``raw`` included)."""
    global _forms
    if _forms is None:
        with _lock:
            if _forms is None:
                inverse: dict[bytes, list[bytes]] = {}
                for form, its_lemma in _raw_dictionary().items():
                    forms = inverse.get(its_lemma)
                    if forms is None:
                        inverse[its_lemma] = [form]
                    else:
                        forms.append(form)
                _forms = inverse
    forms = (form.decode().lower() for form in _forms.get(raw.encode(), ()))
    return tuple(dict.fromkeys((raw.lower(), *forms)))


def forms_if_lemma(raw: str) -> tuple[str, ...]:
    """``forms_of(raw)`` when the dictionary has ``raw`` as a lemma, else nothing."""
    forms = forms_of(raw)
    return forms if _forms is not None and raw.encode() in _forms else ()


class LemmaLookup:
    """A mapping-like view, word -> folded lemma, straight from the dictionary."""

    def get(self, word: str, default=None) -> str | None:
        return lemma(word)
