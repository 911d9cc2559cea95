"""One active private-feed token per scope, however many first visits arrive at once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.calendars.models import FeedToken
from app.calendars.service import feed_token
from app.extensions import db
from tests.helpers import Browser, race


def active_tokens(scope: str) -> list[str]:
    db.session.commit()  # a fresh snapshot: the requests ran in other transactions
    return list(
        db.session.scalars(
            sa.select(FeedToken.token).where(
                FeedToken.scope == scope, FeedToken.revoked_at.is_(None)
            )
        )
    )


def feed_links(page_text: str) -> set[str]:
    return set(re.findall(r"/kalendarze/prywatny/([A-Za-z0-9_-]+)\.ics", page_text))


@pytest.mark.race
def test_concurrent_first_visits_share_one_token(app, live_server, organisation, ngo_owner):
    """Ten tabs open the calendar page for the first time at once: one token, the same link
    on every page (it used to be three tokens, each tab showing its own)."""
    browser = Browser(app, ngo_owner, base_url=live_server.url)
    pages = race([lambda: browser.get("/kalendarze/") for _ in range(10)])
    assert [page.status for page in pages] == [200] * 10
    scope = f"organisation:{organisation.id}"
    [token] = active_tokens(scope)
    links = set().union(*(feed_links(p.text) for p in pages))
    assert links == {token}


def test_the_database_refuses_a_second_active_token(app, organisation, ngo_owner):
    scope = f"organisation:{organisation.id}"
    first = feed_token(scope, ngo_owner.id)
    db.session.commit()
    db.session.add(FeedToken(scope=scope, holder_id=ngo_owner.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert feed_token(scope, ngo_owner.id) == first
    assert active_tokens(scope) == [first]
