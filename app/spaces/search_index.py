"""Spaces (rooms and lendable equipment) in the service-wide search index (see
app/search/__init__.py and app/volunteering/search_index.py, which does the same).

Indexed: every active space (its name first; the provider, district, equipment and
accessibility features and whether it is a room or equipment as keywords; description, address
and house rules as body). An inactive space is removed. ``follow_writes`` keeps the entries in
step with every write of a space or of its provider's name, in the same transaction; the
query-time ``visible_ids`` also hides a space deactivated behind the index's back.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.search.kinds import SearchKind, register_kind
from app.search.service import index_document, remove_document
from app.search.sync import ParentChange, follow_writes
from app.spaces.models import Provider, Space, SpaceKind
from app.spaces.vocab import district_label, feature_label

KIND = "space"

KIND_WORDS = {SpaceKind.ROOM: _l("sala"), SpaceKind.EQUIPMENT: _l("sprzęt do wypożyczenia")}


def visible_space_ids():
    return sa.select(Space.id).where(Space.listed())


def reindex_spaces() -> int:
    """Index every active space (``flask reindex-search``); the caller commits."""
    count = 0
    for space in db.session.scalars(sa.select(Space).where(Space.listed()).order_by(Space.id)):
        index_space(space)
        count += 1
    return count


register_kind(
    SearchKind(
        KIND,
        _l("Przestrzenie i sprzęt"),
        endpoint="spaces.space_detail",
        url_arg="slug",
        list_endpoint="spaces.index",
        order=30,
        visible_ids=visible_space_ids,
        reindex=reindex_spaces,
    )
)


def document_fields(space: Space) -> dict:
    # The index is in Polish whatever language the editing manager reads.
    with force_locale("pl"):
        keywords = [
            space.provider.name,
            district_label(space.district) if space.district else "",
            *sorted(feature_label(code) for code in space.feature_codes),
            str(KIND_WORDS[space.kind]),
        ]
    district = district_label(space.district) if space.district else ""
    return {
        "title": space.name,
        "keywords": keywords,
        "body": [space.description, space.address, space.house_rules],
        "summary": " · ".join(part for part in (space.provider.name, district) if part),
        "url_key": space.slug,
    }


def index_space(space: Space, session=None) -> None:
    """Index a listed space, remove an inactive or hidden one."""
    if space.active and space.hidden_at is None:
        index_document(KIND, space.id, session=session, **document_fields(space))
    else:
        remove_document(KIND, space.id, session=session)


follow_writes(
    Space,
    index_space,
    kind=KIND,
    parents=[
        ParentChange(
            Provider,
            ("name",),
            lambda ids: sa.select(Space).where(Space.provider_id.in_(ids)),
        )
    ],
)
