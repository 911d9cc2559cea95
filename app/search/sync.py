"""Keep a kind's index entries in step with its table on every flush, whoever writes.

A domain whose objects are written from many places (forms, the demo loader, imports, tests'
factories) registers once instead of calling ``index_document`` from each of them::

    follow_writes(
        Opportunity,
        index_opportunity,  # (obj, session=...) -> indexes or removes the entry
        kind="opportunity",
        parents=[ParentChange(Organisation, ("name",), opportunities_of)],
    )

The listener runs in ``after_flush``: in the same transaction as the change, with the ids of new
objects known. ``parents`` re-index the children when a parent's indexed attribute changes (an
organisation renamed: its opportunities carry its name as a keyword). The same works the other
way round: organisations list ``Project``, ``Offer`` and ``Competence`` so that a changed
project title or a renamed competence re-indexes the organisations that show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.search.service import remove_document

# kind -> (model, index function): how the lemma job re-indexes one object (app/search/tasks.py)
INDEXERS: dict[str, tuple[type, Callable[..., None]]] = {}


@dataclass(frozen=True)
class ParentChange:
    model: type
    attributes: tuple[str, ...]
    # ids of changed parents -> a SELECT of the children to re-index
    children: Callable[[list[int]], object]


def follow_writes(
    model: type,
    index: Callable[..., None],
    *,
    kind: str,
    parents: Iterable[ParentChange] = (),
) -> None:
    parents = tuple(parents)
    INDEXERS[kind] = (model, index)

    def changed_parent_ids(session: Session, parent: ParentChange) -> list[int]:
        return [
            obj.id
            for obj in session.dirty
            if isinstance(obj, parent.model)
            and any(sa.inspect(obj).attrs[name].history.has_changes() for name in parent.attributes)
        ]

    def after_flush(session: Session, _context) -> None:
        for obj in session.deleted:
            if isinstance(obj, model):
                remove_document(kind, obj.id, session=session)
        changed = {
            obj
            for obj in (*session.new, *session.dirty)
            if isinstance(obj, model)
            and obj not in session.deleted
            and (obj in session.new or session.is_modified(obj))
        }
        for parent in parents:
            ids = changed_parent_ids(session, parent)
            if ids:
                changed.update(session.scalars(parent.children(ids)))
        for obj in sorted(changed, key=lambda o: o.id):
            index(obj, session=session)

    sa.event.listen(Session, "after_flush", after_flush)
