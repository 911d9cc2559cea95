"""What can be searched: each domain registers its kind once, at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class SearchKind:
    name: str  # stored in search_documents.kind
    label: object  # section heading on the results page (a lazy string)
    endpoint: str  # the detail page of one object
    url_arg: str  # the endpoint argument filled with the document's url_key
    list_endpoint: str | None = None  # a list page accepting ?q= ("see all results")
    order: int = 100  # sections are shown by increasing order
    # A SELECT of the ids that may be shown now, for kinds whose objects stop being public
    # by themselves (an offer whose last shift has passed): applied at query time, so nothing
    # has to remove them from the index when the clock moves on.
    visible_ids: Callable[[], object] | None = None
    # Index every object of the kind (``flask reindex-search``); returns how many were indexed.
    reindex: Callable[[], int] | None = None

    def url(self, url_key: str) -> str:
        return url_for(self.endpoint, **{self.url_arg: url_key})

    def list_url(self, query: str) -> str | None:
        return url_for(self.list_endpoint, q=query) if self.list_endpoint else None


KINDS: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> SearchKind:
    KINDS[kind.name] = kind
    return kind


def ordered_kinds() -> list[SearchKind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.name))
