"""Races of the details domain over real HTTP, on both databases: a holiday preset applied by two
clicks at once adds its closures once (the provider row is locked while it is applied), and two
managers deciding one free-of-charge request at once cannot both win (conditional update)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.spaces.details_models import FeeWaiver, WaiverStatus
from app.spaces.models import BookingStatus, Closure, TermsKind
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday

pytestmark = pytest.mark.race


def test_preset_applied_twice_at_once_adds_each_closure_once(
    app, live_server, provider, provider_manager, make_user
):
    from app.spaces.models import ProviderManager

    second = make_user("wicedyrektor@example.org")
    db.session.add(ProviderManager(provider_id=provider.id, user_id=second.id))
    db.session.commit()
    first_browser = Browser(app, provider_manager, base_url=live_server.url)
    second_browser = Browser(app, second, base_url=live_server.url)
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/swieta"
    answers = race(
        [
            lambda b=b: b.post(url, {"preset": "public-holidays"})
            for b in (first_browser, second_browser)
        ]
    )
    assert [a.status for a in answers] == [303, 303]
    db.session.rollback()  # a fresh snapshot: the server committed in other connections
    rows = db.session.execute(
        sa.select(Closure.starts_on, sa.func.count())
        .where(Closure.provider_id == provider.id)
        .group_by(Closure.starts_on)
    ).all()
    assert rows and all(count == 1 for _day, count in rows)


def test_two_decisions_on_one_waiver_never_both_win(
    app, live_server, make_space, make_booking, organisation, provider, provider_manager, make_user
):
    from app.spaces.models import ProviderManager

    second = make_user("wicedyrektor@example.org")
    db.session.add(ProviderManager(provider_id=provider.id, user_id=second.id))
    room = make_space(terms=TermsKind.FEE, fee_normal=Decimal("50"), fee_ngo=Decimal("10"))
    booking = make_booking(room, organisation, next_weekday(2), status=BookingStatus.PENDING)
    db.session.add(FeeWaiver(series_id=booking.series_id, reason="Spotkanie otwarte"))
    db.session.commit()
    url = f"/przestrzenie/rezerwacje/{booking.series_id}/bez-oplat/decyzja"
    first = Browser(app, provider_manager, base_url=live_server.url)
    other = Browser(app, second, base_url=live_server.url)
    grant, refuse = race(
        [
            lambda: first.post(url, {"decision": "grant"}),
            lambda: other.post(url, {"decision": "refuse"}),
        ]
    )
    assert sorted([grant.status, refuse.status]) == [303, 409]
    db.session.rollback()  # a fresh snapshot: the server committed in other connections
    waiver = db.session.scalar(sa.select(FeeWaiver))
    expected = WaiverStatus.GRANTED if grant.status == 303 else WaiverStatus.REFUSED
    assert waiver.status == expected
