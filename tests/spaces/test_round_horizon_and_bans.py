"""A round's season is bookable beyond the space's horizon (the round defines its own) at
every entry point: the board's preview, generation with its approvals, a move, a re-add, and
no re-confirmation each term; an organisation banned after no-shows is flagged on the board and
passed over by generation with the reason mailed; the request form says a ban before it is
filled in."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.extensions import db
from app.mail import OutboxMessage
from app.spaces import service as spaces
from app.spaces.models import BookingSeries, BookingStatus, SpaceBan
from app.spaces.rounds import service
from app.spaces.rounds.models import Allocation, TermKind
from app.templating import local_datetime
from app.timeutil import to_local
from tests.spaces.conftest import next_weekday
from tests.spaces.test_rounds import apply

SEASON_DAYS = 200


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def hall(make_space):
    # The space's own horizon is a month; the round's season is more than six.
    return make_space("Sala gimnastyczna", capacity=40, max_days_ahead=30, min_notice_hours=0)


@pytest.fixture
def season_round(provider, provider_manager, hall, monday):
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            "Rok szkolny",
            TermKind.SCHOOL_YEAR,
            monday,
            monday + timedelta(days=SEASON_DAYS),
            None,
            "",
            [hall.id],
            [(0, time(15), time(21))],
        ),
    )
    service.open_round(round_, provider_manager)
    db.session.commit()
    return round_


def _allocate(round_, activity, hall, manager, start=time(17), end=time(19)):
    service.allocate(activity, hall.id, 0, start, end, manager)
    db.session.commit()


def test_a_season_round_books_beyond_the_spaces_horizon_at_every_entry_point(
    client, auth, season_round, hall, monday, organisation, ngo_owner, provider_manager
):
    weeks = SEASON_DAYS // 7 + 1
    activity = apply(season_round, organisation, ngo_owner, hall)
    service.close_applications(season_round, provider_manager)
    _allocate(season_round, activity, hall, provider_manager)
    auth.login(provider_manager)
    board = client.get(f"/przestrzenie/nabory/{season_round.id}/tablica")
    assert f"do rezerwacji: {weeks}" in board.text and "Za daleko" not in board.text
    assert client.post(f"/przestrzenie/nabory/{season_round.id}/wyniki").status_code == 303
    db.session.expire_all()
    series = db.session.scalars(sa.select(BookingSeries)).one()
    assert series.horizon_until == season_round.season_ends_on
    assert [b.status for b in series.occurrences] == [BookingStatus.APPROVED] * weeks
    last = series.occurrences[-1]
    assert to_local(last.starts_at).date() > monday + timedelta(days=150)
    # A move by the provider within the season, beyond the space's horizon.
    moved = spaces.move(
        last,
        to_local(last.starts_at).date() + timedelta(days=1),
        time(10),
        time(12),
        provider_manager,
        by_provider=True,
    )
    assert moved.status == BookingStatus.APPROVED
    # Cancelled and asked again by the organisation: still within the round's horizon.
    spaces.cancel([moved], ngo_owner, "Wyjazd", by_provider=False)
    readded = spaces.readd(moved, ngo_owner)
    assert readded.status == BookingStatus.PENDING
    spaces.approve([readded], provider_manager)
    db.session.commit()
    # A direct request for the same far day is still bound by the space's horizon.
    auth.login(ngo_owner)
    far = to_local(last.starts_at).date() + timedelta(days=2)
    refused = client.post(
        f"/przestrzenie/sala/{hall.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Turniej",
            "people": "10",
            "day": far.isoformat(),
            "start": "10:00",
            "end": "12:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert refused.status_code == 409 and "Za daleko" in refused.text
    # The round allocated the whole season: no re-confirmation in the next term.
    from app.spaces.service.terms import _unconfirmed, term_of

    later = monday + timedelta(days=SEASON_DAYS // 2)
    query = _unconfirmed(
        sa.select(BookingSeries.id), term_of(later), utcnow() + timedelta(days=SEASON_DAYS // 2)
    )
    assert series.id not in db.session.scalars(query).all()


def test_a_banned_applicant_is_flagged_and_passed_over_with_the_reason_mailed(
    client,
    auth,
    season_round,
    hall,
    provider,
    organisation,
    ngo_owner,
    other_organisation,
    provider_manager,
):
    ban = SpaceBan(
        provider_id=provider.id,
        organisation_id=organisation.id,
        ends_at=utcnow() + timedelta(days=60),
        reason="Dwie nieobecności bez uprzedzenia.",
    )
    db.session.add(ban)
    db.session.commit()
    banned = apply(season_round, organisation, ngo_owner, hall, name="Taniec")
    other = apply(
        season_round,
        other_organisation,
        other_organisation.memberships[0].user,
        hall,
        start=time(19),
        end=time(21),
        name="Szachy",
    )
    service.close_applications(season_round, provider_manager)
    _allocate(season_round, banned, hall, provider_manager)
    _allocate(season_round, other, hall, provider_manager, time(19), time(21))
    auth.login(provider_manager)
    board = client.get(f"/przestrzenie/nabory/{season_round.id}/tablica")
    until = local_datetime(ban.ends_at, "short")
    assert board.text.count(">blokada<") == 2  # the application and its allocation
    assert f"blokadę rezerwacji do {until}" in board.text
    response = client.post(f"/przestrzenie/nabory/{season_round.id}/wyniki")
    assert response.status_code == 303
    db.session.expire_all()
    by_name = {a.activity.name: a for a in db.session.scalars(sa.select(Allocation))}
    assert by_name["Taniec"].series is None and "blokadę" in by_name["Taniec"].skipped_note
    assert by_name["Szachy"].series is not None
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.topic == f"round-results:{season_round.id}:{organisation.id}"
        )
    ).one()
    assert "Nie utworzono rezerwacji:" in mail.body and until in mail.body
    skipped = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "round.skipped_banned")
    ).one()
    assert skipped.organisation_id == organisation.id


def test_the_request_form_says_a_ban_and_its_end_before_it_is_filled_in(
    client, auth, hall, provider, organisation, ngo_owner, make_organisation
):
    ban = SpaceBan(
        provider_id=provider.id,
        organisation_id=organisation.id,
        ends_at=utcnow() + timedelta(days=90),
        reason="Dwie nieobecności bez uprzedzenia.",
    )
    db.session.add(ban)
    db.session.commit()
    auth.login(ngo_owner)
    page = client.get(f"/przestrzenie/sala/{hall.slug}/rezerwuj")
    until = local_datetime(ban.ends_at, "short")
    assert page.status_code == 200
    assert f"nie przyjmuje nowych wniosków organizacji {organisation.name} do {until}" in page.text
    assert "Dwie nieobecności bez uprzedzenia." in page.text
    assert "Wniosek będzie można złożyć po zakończeniu blokady." in page.text
    assert 'name="purpose"' not in page.text
    # A member of a second organisation, not banned, still has the form.
    make_organisation("Klub Szachowy", owner=ngo_owner)
    page = client.get(f"/przestrzenie/sala/{hall.slug}/rezerwuj")
    assert f"organizacji {organisation.name} do {until}" in page.text
    assert 'name="purpose"' in page.text
    # Lifted: no notice.
    ban.lifted_at = utcnow()
    db.session.commit()
    assert (
        "nie przyjmuje nowych wniosków"
        not in client.get(f"/przestrzenie/sala/{hall.slug}/rezerwuj").text
    )
