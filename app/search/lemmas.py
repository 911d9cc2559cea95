"""The index's own lemma table (``search_lemmas``): how indexing and queries get lemmas without
simplemma's dictionary in the web process.

- A query looks its words up here (one statement); a word that is not here has no lemma in the
  index, so it is matched by its folded form and stem (prefixes) and one-typo corrections.
- Indexing in a web request looks the document's words up here too. Words not yet known are
  indexed without a lemma for now, and a job (run by the job worker, which holds the dictionary)
  learns them after the commit and re-indexes the document.
- Indexing anywhere else (the job itself, ``reindex-search``, demo data, tests' fixtures) may use
  the dictionary directly: unknown words are learned at once, in the same transaction.

Learning a word stores it with its lemma and every other form the dictionary knows of that
lemma, so the table holds the inflections of the index's vocabulary only, not the whole
dictionary (tens of rows per lemma instead of the dictionary's millions).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.dialects import postgresql, sqlite

from app.search.models import SearchLemma

MAX_FORM = 100
# session.info key: this session may load the dictionary (set by the learning job)
INLINE = "search_lemmas_inline"
# session.info key: documents indexed in this transaction whose words are not all known yet
PENDING = "search_lemmas_pending"


def known(session, forms: Iterable[str]) -> dict[str, str]:
    """word -> folded lemma for the words the table knows."""
    forms = sorted({f for f in forms if len(f) <= MAX_FORM})
    found: dict[str, str] = {}
    table = SearchLemma.__table__
    for start in range(0, len(forms), 500):
        chunk = forms[start : start + 500]
        found.update(session.execute(sa.select(table.c.form, table.c.lemma).where(
            table.c.form.in_(chunk))).all())  # fmt: skip
    return found


def may_load_dictionary(session) -> bool:
    """Outside a web request, or in the learning job: the dictionary may be used."""
    return bool(session.info.get(INLINE)) or not has_request_context()


def learn(session, forms: Iterable[str]) -> dict[str, str]:
    """Lemmatise ``forms`` with the dictionary and store them with every form of their lemmas."""
    from app.search import lemmatiser
    from app.search.text import fold, stem

    learned: dict[str, str] = {}
    rows: dict[str, str] = {}
    for form in forms:
        if len(form) > MAX_FORM:
            continue
        raw = lemmatiser.raw_lemma(form)
        folded = fold(raw)[:MAX_FORM]
        learned[form] = rows[form] = folded
        for other in lemmatiser.forms_of(raw):
            if len(other) <= MAX_FORM:
                rows.setdefault(other, folded)
        # The stem is an index term too ("seniorami" -> "senior"). Where it is a lemma itself,
        # its forms lead to it, as asking the dictionary at query time did: simplemma gives
        # "seniora" for "seniorami" but "senior" for "seniorzy".
        root = stem(fold(form))
        if root != folded:
            for other in lemmatiser.forms_if_lemma(root):
                if len(other) <= MAX_FORM:
                    rows.setdefault(other, root)
    values = [{"form": f, "lemma": lemma} for f, lemma in sorted(rows.items())]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(values), 2000):
        session.execute(
            insert(SearchLemma).values(values[start : start + 2000]).on_conflict_do_nothing()
        )
    return learned


def lemmas_for_index(session, words: Iterable[str], *, kind: str, ref_id: int) -> dict[str, str]:
    """The lemmas to index ``words`` with: from the table, learned now where the dictionary may
    be used, else left out and learned by a job after commit (which re-indexes the document)."""
    from app.search.text import fold

    words = {w for w in words if not fold(w).isdigit()}
    found = known(session, words)
    missing = sorted(words - found.keys())
    if not missing:
        return found
    if may_load_dictionary(session):
        found.update(learn(session, missing))
        return found
    _learn_after_commit(session, kind, ref_id, missing)
    return found


def _learn_after_commit(session, kind: str, ref_id: int, forms: list[str]) -> None:
    from sqlalchemy.orm import scoped_session

    from app.db import after_commit

    if isinstance(session, scoped_session):  # db.session: the registry's current session
        session = session()
    transaction = session.get_transaction()
    held = session.info.get(PENDING)
    if held is not None and held[0] is transaction:
        pending = held[1]
    else:  # the first in this transaction (one that rolled back leaves nothing to learn)
        pending = {"documents": set(), "forms": set()}
        session.info[PENDING] = (transaction, pending)

        def queue() -> None:
            from app.search.tasks import learn_lemmas

            learn_lemmas(sorted(pending["forms"]), sorted(pending["documents"]))

        after_commit(session, queue)
    pending["documents"].add((kind, ref_id))
    pending["forms"].update(forms)
