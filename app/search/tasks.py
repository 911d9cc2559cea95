"""The job that lemmatises words indexed in web requests (see ``app.search.lemmas``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db import SQLITE_IMMEDIATE
from app.extensions import db
from app.jobs import task
from app.search import lemmas


@task(retries=3, retry_delay=30, retry_backoff=2)
def learn_lemmas(forms: list[str], documents: list[tuple[str, int]]) -> None:
    """Learn ``forms`` with the dictionary, then re-index ``documents`` so they carry the lemmas.

    Its own session, as mail delivery has: in tests jobs run at once, right after the request's
    commit, still inside that request."""
    from app.search.sync import INDEXERS

    with Session(db.engine) as session:
        session.info[lemmas.INLINE] = True
        session.connection(execution_options={SQLITE_IMMEDIATE: True})
        lemmas.learn(session, sorted(set(forms) - lemmas.known(session, forms).keys()))
        for kind, ref_id in documents:
            if kind in INDEXERS:
                model, index = INDEXERS[kind]
                obj = session.get(model, ref_id)
                if obj is not None:
                    index(obj, session=session)
        session.commit()
