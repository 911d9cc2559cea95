"""Seasonal allocation rounds through the app: a round from opening to generated bookings
(a clash resolved on the board), direct bookings held while it runs, reopening, results mailed,
and who may do what."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.domain import DomainError
from app.extensions import db
from app.spaces import service as spaces
from app.spaces.models import Booking, BookingSeries, BookingStatus, Closure, ClosureReason
from app.spaces.rounds import service
from app.spaces.rounds.models import (
    AgeGroup,
    Allocation,
    AllocationRound,
    Priority,
    RoundStatus,
    TermKind,
)
from tests.helpers import Browser, race
from tests.spaces.conftest import next_weekday


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def rooms(make_space):
    return make_space("Sala taneczna", capacity=30), make_space("Sala klubowa", capacity=12)


def round_form(rooms, monday, **overrides):
    form = {
        "name": "Nabór na semestr",
        "term_kind": "semester",
        "season_starts_on": monday.isoformat(),
        "season_ends_on": (monday + timedelta(days=30)).isoformat(),
        "applications_close_on": "",
        "description": "Zajęcia stałe po lekcjach.",
        "spaces": [str(r.id) for r in rooms],
    }
    for weekday in range(7):
        form[f"windows-{weekday}-starts"] = "15:00" if weekday in (0, 2) else ""
        form[f"windows-{weekday}-ends"] = "21:00" if weekday in (0, 2) else ""
    form.update(overrides)
    return form


def activity_form(organisation, room, **overrides):
    form = {
        "organisation": str(organisation.id),
        "contact": "Kasia, 600 100 200",
        "name": "Taniec nowoczesny",
        "participants": "20",
        "age_group": "youth",
        "sessions_per_week": "1",
        "min_minutes": "90",
        "max_minutes": "120",
        "wish_1": str(room.id),
        "wish_2": "0",
        "wish_3": "0",
        "primary_1_day": "0",
        "primary_1_starts": "17:00",
        "primary_1_ends": "19:00",
        "primary_2_day": "",
        "primary_2_starts": "",
        "primary_2_ends": "",
        "secondary_day": "2",
        "secondary_starts": "17:00",
        "secondary_ends": "19:00",
    }
    form.update(overrides)
    return form


def only_round() -> AllocationRound:
    return db.session.scalars(sa.select(AllocationRound)).one()


def open_round(client, round_id, action="open"):
    return client.post(f"/przestrzenie/nabory/{round_id}/status", data={"action": action})


@pytest.fixture
def running_round(provider, provider_manager, rooms, monday):
    """An open round over both rooms, Monday and Wednesday 15–21, for about a month."""
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            name="Nabór jesienny",
            term_kind=TermKind.SEMESTER,
            season_starts_on=monday,
            season_ends_on=monday + timedelta(days=30),
            applications_close_on=None,
            description="",
            space_ids=[r.id for r in rooms],
            windows=[(0, time(15), time(21)), (2, time(15), time(21))],
        ),
    )
    service.open_round(round_, provider_manager)
    db.session.commit()
    return round_


def apply(
    round_, organisation, user, room, *, weekday=0, start=time(17), end=time(19), name="Zajęcia"
):
    activity = service.add_activity(
        round_,
        organisation,
        user,
        service.ActivityInput(
            name=name,
            participants=10,
            age_group=AgeGroup.CHILDREN,
            sessions_per_week=1,
            min_minutes=60,
            max_minutes=120,
            wishes=[room.id],
            time_ranges=[(weekday, start, end, Priority.PRIMARY)],
        ),
    )
    db.session.commit()
    return activity


def test_a_round_from_opening_to_generated_bookings_with_a_clash_resolved(
    client,
    auth,
    provider,
    provider_manager,
    rooms,
    monday,
    organisation,
    ngo_owner,
    other_organisation,
    make_booking,
    outbox,
):
    dance, club = rooms
    # An existing booking on the third Monday and a closure on the second: dates to skip.
    make_booking(dance, other_organisation, monday + timedelta(weeks=2), time(17), time(19))
    db.session.add(
        Closure(
            space_id=dance.id,
            starts_on=monday + timedelta(weeks=1),
            ends_on=monday + timedelta(weeks=1),
            reason=ClosureReason.PUBLIC_HOLIDAY,
            note="Święto",
        )
    )
    db.session.commit()

    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nabory/nowy", data=round_form(rooms, monday)
    )
    assert response.status_code == 303
    round_ = only_round()
    assert round_.status == RoundStatus.DRAFT
    assert [(w.weekday, w.starts, w.ends) for w in round_.windows] == [
        (0, time(15), time(21)),
        (2, time(15), time(21)),
    ]
    assert open_round(client, round_.id).status_code == 303
    assert only_round().status == RoundStatus.OPEN

    # Two organisations apply for the same Monday slot in the dance room.
    auth.login(ngo_owner)
    page = client.get(f"/przestrzenie/nabory/{round_.id}/wniosek")
    assert page.status_code == 200 and 'for="primary_1_starts"' in page.text
    response = client.post(
        f"/przestrzenie/nabory/{round_.id}/wniosek", data=activity_form(organisation, dance)
    )
    assert response.status_code == 303, response.text
    other_owner = other_organisation.memberships[0].user
    auth.login(other_owner)
    response = client.post(
        f"/przestrzenie/nabory/{round_.id}/wniosek",
        data=activity_form(other_organisation, dance, name="Szachy", participants="10"),
    )
    assert response.status_code == 303

    auth.login(provider_manager)
    assert open_round(client, round_.id, "close").status_code == 303
    round_ = only_round()
    assert round_.status == RoundStatus.ALLOCATING
    dance_activity, chess = [a for app_ in round_.applications for a in app_.activities]
    for activity in (dance_activity, chess):
        response = client.post(
            f"/przestrzenie/nabory/{round_.id}/przydziel",
            data={
                "activity": activity.id,
                "space": dance.id,
                "weekday": "0",
                "start": "17:00",
                "end": "19:00",
            },
        )
        assert response.status_code == 303
    board = client.get(f"/przestrzenie/nabory/{round_.id}/tablica")
    assert board.status_code == 200
    assert "Kolizja:" in board.text
    assert "Święto" in board.text  # the closed Monday is listed with its reason
    # Generating is refused while two allocations clash; nothing is booked.
    response = client.post(f"/przestrzenie/nabory/{round_.id}/wyniki")
    assert response.status_code == 409
    assert "Najpierw rozwiąż kolizje" in response.text
    assert db.session.scalar(sa.select(sa.func.count(BookingSeries.id))) == 1
    assert only_round().status == RoundStatus.ALLOCATING

    # Staff resolve it: chess moves to Wednesday in the club room (its secondary wish).
    chess_allocation = db.session.scalars(
        sa.select(Allocation).where(Allocation.activity_id == chess.id)
    ).one()
    assert (
        client.post(f"/przestrzenie/nabory/przydzialy/{chess_allocation.id}/usun").status_code
        == 303
    )
    response = client.post(
        f"/przestrzenie/nabory/{round_.id}/przydziel",
        data={
            "activity": chess.id,
            "space": club.id,
            "weekday": "2",
            "start": "17:00",
            "end": "19:00",
        },
    )
    assert response.status_code == 303
    board = client.get(f"/przestrzenie/nabory/{round_.id}/tablica")
    assert "Kolizja:" not in board.text

    response = client.post(f"/przestrzenie/nabory/{round_.id}/wyniki")
    assert response.status_code == 303
    db.session.expire_all()
    round_ = only_round()
    assert round_.status == RoundStatus.RESULTS_SENT
    dance_allocation = dance_activity.allocations[0]
    occurrences = dance_allocation.series.occurrences
    statuses = {b.starts_at.date(): b.status for b in occurrences}
    assert len(occurrences) == 5
    assert list(statuses.values()).count(BookingStatus.APPROVED) == 3
    skipped = [b for b in occurrences if b.status == BookingStatus.SKIPPED]
    assert any("Święto" in b.status_reason for b in skipped)
    assert len(skipped) == 2
    assert "Święto" in dance_allocation.skipped_note
    chess_series = chess.allocations[0].series
    assert chess_series.space_id == club.id
    assert all(b.status == BookingStatus.APPROVED for b in chess_series.occurrences)

    mails = [m for m in outbox() if (m.topic or "").startswith("round-results:")]
    assert {m.recipient for m in mails} == {ngo_owner.email, other_owner.email}
    mine = next(m for m in mails if m.recipient == ngo_owner.email)
    assert "Taniec nowoczesny" in mine.body and "Święto" in mine.body
    # No request or approval mails for the generated series: the results say it all.
    assert not [m for m in outbox() if (m.topic or "").startswith("booking-sent:")]
    # Once the results are out, the round cannot be reopened.
    assert open_round(client, round_.id).status_code == 409


def test_direct_bookings_are_held_while_the_round_runs(
    client, auth, running_round, rooms, monday, organisation, ngo_owner, provider_manager
):
    dance, _club = rooms
    auth.login(ngo_owner)
    base = {
        "organisation": organisation.id,
        "purpose": "Próba",
        "people": "10",
        "start": "17:00",
        "end": "19:00",
        "recurrence": "once",
        "action": "send",
    }
    # In a window of the round: refused, naming the round.
    response = client.post(
        f"/przestrzenie/sala/{dance.slug}/rezerwuj", data={**base, "day": monday.isoformat()}
    )
    assert response.status_code == 409
    assert "Trwa nabór „Nabór jesienny”" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0
    # A recurring request touching the windows: those dates are refused, others stay.
    tuesday = monday + timedelta(days=1)
    response = client.post(
        f"/przestrzenie/sala/{dance.slug}/rezerwuj",
        data={**base, "day": tuesday.isoformat(), "recurrence": "weekly", "count": "2"},
    )
    assert response.status_code == 303  # Tuesday is not in the round
    # Outside the windows (a morning on Monday) it is bookable.
    response = client.post(
        f"/przestrzenie/sala/{dance.slug}/rezerwuj",
        data={**base, "day": monday.isoformat(), "start": "09:00", "end": "10:00"},
    )
    assert response.status_code == 303


def test_approvals_and_moves_into_a_held_window_are_refused(
    client, auth, provider, provider_manager, rooms, monday, organisation, ngo_owner, make_booking
):
    dance, _club = rooms
    # Requested before the round opened.
    pending = make_booking(
        dance, organisation, monday, time(17), time(19), status=BookingStatus.PENDING
    )
    approved = make_booking(dance, organisation, monday + timedelta(days=1), time(17), time(19))
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            "Nabór",
            TermKind.SEMESTER,
            monday,
            monday + timedelta(days=20),
            None,
            "",
            [dance.id],
            [(0, time(15), time(21))],
        ),
    )
    service.open_round(round_, provider_manager)
    db.session.commit()
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz",
        data={"booking": [pending.id]},
    )
    assert response.status_code == 409
    assert "Trwa nabór" in response.text
    assert db.session.get(Booking, pending.id).status == BookingStatus.PENDING
    # A move of another booking into the held Monday is refused too.
    with pytest.raises(DomainError, match="Trwa nabór"):
        spaces.move(
            db.session.get(Booking, approved.id),
            monday + timedelta(weeks=1),
            time(17),
            time(18),
            provider_manager,
            by_provider=True,
        )


def test_a_round_is_reopened_before_results(
    client, auth, running_round, rooms, organisation, ngo_owner, provider_manager
):
    dance, _club = rooms
    auth.login(provider_manager)
    assert open_round(client, running_round.id, "close").status_code == 303
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/nabory/{running_round.id}/wniosek", data=activity_form(organisation, dance)
    )
    assert response.status_code == 409  # closed for applications
    assert "nie przyjmuje" in response.text
    auth.login(provider_manager)
    assert open_round(client, running_round.id).status_code == 303
    assert only_round().status == RoundStatus.OPEN
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/nabory/{running_round.id}/wniosek", data=activity_form(organisation, dance)
    )
    assert response.status_code == 303
    assert len(only_round().applications) == 1


def test_bad_input_is_shown_on_the_forms(
    client, auth, provider, provider_manager, running_round, rooms, monday, organisation, ngo_owner
):
    dance, _club = rooms
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/nabory/nowy",
        data=round_form(rooms, monday, **{"windows-0-ends": "14:00"}),
    )
    assert response.status_code == 400
    assert "Podaj obie godziny" in response.text
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/nabory/{running_round.id}/wniosek",
        data=activity_form(organisation, dance, min_minutes="120", max_minutes="60"),
    )
    assert response.status_code == 400
    assert "Najkrótszy czas" in response.text
    assert 'value="Taniec nowoczesny"' in response.text


def test_only_members_apply_and_only_managers_manage(
    client,
    auth,
    running_round,
    rooms,
    organisation,
    ngo_owner,
    other_organisation,
    volunteer,
    make_user,
    make_provider,
):
    dance, _club = rooms
    other_owner = other_organisation.memberships[0].user
    auth.login(other_owner)
    response = client.post(
        f"/przestrzenie/nabory/{running_round.id}/wniosek", data=activity_form(organisation, dance)
    )
    assert response.status_code == 403
    assert not only_round().applications
    activity = apply(running_round, organisation, ngo_owner, dance)
    response = client.post(f"/przestrzenie/nabory/zajecia/{activity.id}/wycofaj")
    assert response.status_code == 403
    other_manager = make_user("inna@example.org", name="Inny Kierownik")
    make_provider("Szkoła nr 99", managers=[other_manager])
    for user in (ngo_owner, volunteer, other_manager):
        auth.login(user)
        assert client.get(f"/przestrzenie/nabory/{running_round.id}/tablica").status_code == 403
        assert open_round(client, running_round.id, "close").status_code == 403
        assert client.post(f"/przestrzenie/nabory/{running_round.id}/wyniki").status_code == 403
    assert only_round().status == RoundStatus.OPEN
    # The member withdraws their own activity.
    auth.login(ngo_owner)
    assert client.post(f"/przestrzenie/nabory/zajecia/{activity.id}/wycofaj").status_code == 303
    assert not only_round().applications


def test_a_draft_is_hidden_from_the_public(client, provider, provider_manager, rooms, monday):
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            "Szkic",
            TermKind.SCHOOL_YEAR,
            monday,
            monday + timedelta(days=60),
            None,
            "",
            [rooms[0].id],
            [(0, time(15), time(21))],
        ),
    )
    db.session.commit()
    assert client.get(f"/przestrzenie/nabory/{round_.id}").status_code == 404
    assert "Szkic" not in client.get("/przestrzenie/nabory").text


@pytest.mark.race
def test_two_people_generating_at_once_generate_once(
    app, live_server, running_round, rooms, organisation, ngo_owner, provider_manager, staff
):
    dance, _club = rooms
    activity = apply(running_round, organisation, ngo_owner, dance)
    service.close_applications(running_round, provider_manager)
    service.allocate(activity, dance.id, 0, time(17), time(19), provider_manager)
    db.session.commit()
    url = f"/przestrzenie/nabory/{running_round.id}/wyniki"
    manager = Browser(app, provider_manager, base_url=live_server.url)
    city = Browser(app, staff, base_url=live_server.url)
    answers = race([lambda: manager.post(url), lambda: city.post(url)])
    assert sorted(a.status for a in answers) == [303, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(BookingSeries.id))) == 1
    assert only_round().status == RoundStatus.RESULTS_SENT


def test_the_hold_follows_warsaw_wall_clock_across_dst(provider, provider_manager, rooms):
    from datetime import date

    from app.spaces.rounds.holds import holding_round
    from app.spaces.service import slot_for

    dance, _club = rooms
    # Monday windows 15:00–21:00 over the spring DST change (28 March 2027).
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            "Wiosna",
            TermKind.SEMESTER,
            date(2027, 3, 1),
            date(2027, 4, 30),
            None,
            "",
            [dance.id],
            [(0, time(15), time(21))],
        ),
    )
    service.open_round(round_, provider_manager)
    for monday in (date(2027, 3, 22), date(2027, 3, 29)):  # before and after the change
        assert holding_round(dance.id, *slot_for(monday, time(20), time(22))) is not None
        assert holding_round(dance.id, *slot_for(monday, time(21), time(22))) is None
        assert holding_round(dance.id, *slot_for(monday, time(13), time(15))) is None
    assert holding_round(dance.id, *slot_for(date(2027, 5, 3), time(17), time(18))) is None


def test_an_allocation_with_bad_input_shows_the_board_again(
    client, auth, running_round, rooms, organisation, ngo_owner, provider_manager
):
    dance, _club = rooms
    activity = apply(running_round, organisation, ngo_owner, dance)
    service.close_applications(running_round, provider_manager)
    db.session.commit()
    auth.login(provider_manager)
    url = f"/przestrzenie/nabory/{running_round.id}/przydziel"
    form = {"activity": activity.id, "space": dance.id, "weekday": "0", "start": "19:00"}
    response = client.post(url, data={**form, "end": ""})
    assert response.status_code == 422
    assert "Podaj salę, dzień i godziny." in response.text
    response = client.post(url, data={**form, "end": "18:00"})
    assert response.status_code == 422
    assert "Godzina końca musi być późniejsza" in response.text
    assert not db.session.scalars(sa.select(Allocation)).all()
