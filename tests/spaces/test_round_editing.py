"""Editing a round: everything while it is a draft; once organisations have applied only
what takes nothing from them (a longer season, wider windows, a later deadline, more spaces);
nothing once it is in allocation; audited; only its managers and staff."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.spaces.rounds import service
from app.spaces.rounds.models import RoundStatus, TermKind
from app.timeutil import local_today
from tests.spaces.conftest import next_weekday
from tests.spaces.test_rounds import apply, only_round, round_form


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def rooms(make_space):
    return make_space("Sala taneczna", capacity=30), make_space("Sala klubowa", capacity=12)


@pytest.fixture
def draft(provider, provider_manager, rooms, monday):
    round_ = service.create_round(
        provider,
        provider_manager,
        service.RoundSetup(
            name="Nabór jesienny",
            term_kind=TermKind.SEMESTER,
            season_starts_on=monday,
            season_ends_on=monday + timedelta(days=30),
            applications_close_on=monday - timedelta(days=1),
            description="",
            space_ids=[r.id for r in rooms],
            windows=[(0, time(15), time(21)), (2, time(15), time(21))],
        ),
    )
    db.session.commit()
    return round_


def edit(client, round_, rooms, monday, **overrides):
    form = round_form(rooms, monday, **{"name": "Nabór jesienny", **overrides})
    form.setdefault("applications_close_on", (monday - timedelta(days=1)).isoformat())
    return client.post(f"/przestrzenie/nabory/{round_.id}/edycja", data=form)


def edits() -> list[str]:
    return list(
        db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "round.edited"))
    )


def test_a_draft_changes_in_everything_and_the_change_is_audited(
    client, auth, draft, rooms, monday, provider_manager
):
    _dance, club = rooms
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/nabory/{draft.id}/edycja")
    assert page.status_code == 200
    assert 'value="Nabór jesienny"' in page.text and 'value="15:00"' in page.text
    assert "<h1>Zmiana naboru: Nabór jesienny</h1>" in page.text
    board = client.get(f"/przestrzenie/nabory/{draft.id}/tablica")
    assert f"/przestrzenie/nabory/{draft.id}/edycja" in board.text
    response = edit(
        client,
        draft,
        [club],
        monday + timedelta(days=7),
        name="Nabór zimowy",
        season_ends_on=(monday + timedelta(days=60)).isoformat(),
        **{"windows-0-starts": "16:00", "windows-2-starts": "", "windows-2-ends": ""},
    )
    assert response.status_code == 303
    round_ = only_round()
    assert round_.name == "Nabór zimowy"
    assert round_.season_starts_on == monday + timedelta(days=7)
    assert [s.id for s in round_.spaces] == [club.id]
    assert [(w.weekday, w.starts, w.ends) for w in round_.windows] == [(0, time(16), time(21))]
    [details] = edits()
    assert details.startswith("Nabór zimowy:") and "spaces" in details and "windows" in details
    # Nothing changed: nothing audited.
    same = edit(
        client,
        round_,
        [club],
        monday + timedelta(days=7),
        name="Nabór zimowy",
        season_ends_on=(monday + timedelta(days=60)).isoformat(),
        **{"windows-0-starts": "16:00", "windows-2-starts": "", "windows-2-ends": ""},
    )
    assert same.status_code == 303 and len(edits()) == 1


def test_once_organisations_applied_nothing_they_applied_for_is_taken_away(
    client, auth, draft, rooms, monday, provider_manager, organisation, ngo_owner
):
    dance, club = rooms
    service.open_round(draft, provider_manager)
    db.session.commit()
    apply(draft, organisation, ngo_owner, dance, weekday=0, start=time(17), end=time(19))
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/nabory/{draft.id}/edycja")
    assert "sezon można tylko wydłużyć" in page.text
    refusals = {
        "Organizacje wskazały we wnioskach salę: Sala taneczna": {"spaces": [str(club.id)]},
        "sezon można tylko wydłużyć": {"season_ends_on": (monday + timedelta(days=20)).isoformat()},
        "okna można tylko poszerzyć": {"windows-0-starts": "18:00"},
        "termin ich składania można tylko przesunąć na później": {
            "applications_close_on": (monday - timedelta(days=3)).isoformat()
        },
    }
    for message, change in refusals.items():
        response = edit(client, draft, rooms, monday, **change)
        assert response.status_code == 409, message
        assert message in response.text
        assert 'aria-invalid="true"' in response.text or "field-error" in response.text
    assert edits() == []
    round_ = only_round()
    assert round_.season_ends_on == monday + timedelta(days=30) and len(round_.spaces) == 2
    # Widening and lengthening take nothing away.
    response = edit(
        client,
        draft,
        rooms,
        monday,
        season_ends_on=(monday + timedelta(days=60)).isoformat(),
        applications_close_on=monday.isoformat(),
        **{"windows-0-starts": "14:00", "windows-4-starts": "15:00", "windows-4-ends": "20:00"},
    )
    assert response.status_code == 303
    round_ = only_round()
    assert round_.season_ends_on == monday + timedelta(days=60)
    assert (4, time(15), time(20)) in [(w.weekday, w.starts, w.ends) for w in round_.windows]
    assert round_.status == RoundStatus.OPEN and len(edits()) == 1
    assert round_.applications[0].activities[0].name == "Zajęcia"


def test_a_round_in_allocation_no_longer_changes(
    client, auth, draft, rooms, monday, provider_manager
):
    service.open_round(draft, provider_manager)
    service.close_applications(draft, provider_manager)
    db.session.commit()
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/nabory/{draft.id}/edycja")
    assert page.status_code == 200
    assert "tylko jako szkic albo w czasie przyjmowania wniosków" in page.text
    assert '<form method="post" action="/przestrzenie/nabory/' not in page.text
    response = edit(client, draft, rooms, monday, name="Inna nazwa")
    assert response.status_code == 409
    assert only_round().name == "Nabór jesienny" and edits() == []


def test_bad_input_and_a_deadline_in_the_past_are_shown_on_the_form(
    client, auth, draft, rooms, monday, provider_manager
):
    service.open_round(draft, provider_manager)
    db.session.commit()
    auth.login(provider_manager)
    response = edit(client, draft, rooms, monday, name="")
    assert response.status_code in (400, 422)
    response = edit(
        client, draft, rooms, monday, season_ends_on=(monday - timedelta(days=7)).isoformat()
    )
    assert (
        response.status_code == 422 and "Koniec sezonu musi być po jego początku." in response.text
    )
    response = edit(client, draft, rooms, monday, applications_close_on="2020-01-01")
    assert response.status_code == 422
    assert "Termin składania wniosków nie może być w przeszłości." in response.text
    assert only_round().name == "Nabór jesienny"


def test_only_its_managers_and_staff_edit_a_round(
    client, auth, draft, rooms, monday, ngo_owner, make_user, make_provider, staff
):
    other_manager = make_user("inna@example.org", name="Inny Kierownik")
    make_provider("Szkoła nr 99", managers=[other_manager])
    for user in (ngo_owner, other_manager):
        auth.login(user)
        # A draft is hidden from everyone else.
        assert client.get(f"/przestrzenie/nabory/{draft.id}/edycja").status_code == 404
        assert edit(client, draft, rooms, monday, name="Przejęty").status_code == 404
    auth.login(staff)
    assert edit(client, draft, rooms, monday, name="Nabór miejski").status_code == 303
    assert only_round().name == "Nabór miejski"


def test_the_deadline_closes_applications_and_a_later_one_opens_them_again(
    client, auth, draft, rooms, monday, provider_manager, organisation, ngo_owner
):
    from tests.spaces.test_rounds import activity_form

    dance, _club = rooms
    draft.applications_close_on = local_today() - timedelta(days=1)
    service.open_round(draft, provider_manager)
    db.session.commit()
    auth.login(ngo_owner)
    url = f"/przestrzenie/nabory/{draft.id}/wniosek"
    assert "Termin składania wniosków minął" in client.get(url).text
    assert "Złóż wniosek (dodaj zajęcia)" not in client.get(f"/przestrzenie/nabory/{draft.id}").text
    late = client.post(url, data=activity_form(organisation, dance))
    assert late.status_code == 409 and not only_round().applications
    auth.login(provider_manager)
    board = client.get(f"/przestrzenie/nabory/{draft.id}/tablica")
    assert "Termin składania wniosków minął" in board.text
    later = (local_today() + timedelta(days=7)).isoformat()
    assert edit(client, draft, rooms, monday, applications_close_on=later).status_code == 303
    auth.login(ngo_owner)
    assert client.post(url, data=activity_form(organisation, dance)).status_code == 303
    assert only_round().applications


@pytest.mark.race
def test_an_edit_and_closing_the_applications_at_once(
    app, live_server, draft, rooms, monday, provider_manager, staff
):
    from tests.helpers import Browser, race

    service.open_round(draft, provider_manager)
    db.session.commit()
    manager = Browser(app, provider_manager, base_url=live_server.url)
    city = Browser(app, staff, base_url=live_server.url)
    form = round_form(rooms, monday, name="Po zmianie")
    form["applications_close_on"] = (monday - timedelta(days=1)).isoformat()
    edit_url = f"/przestrzenie/nabory/{draft.id}/edycja"
    status_url = f"/przestrzenie/nabory/{draft.id}/status"
    db.session.commit()  # no read transaction of ours across the race (SQLite's snapshot)
    answers = race(
        [
            lambda: manager.post(edit_url, data=form),
            lambda: city.post(status_url, data={"action": "close"}),
        ]
    )
    db.session.expire_all()
    round_ = only_round()
    assert round_.status == RoundStatus.ALLOCATING
    # Either the edit came first (both done) or the closing did (the edit refused, unchanged).
    if round_.name == "Po zmianie":
        assert [a.status for a in answers] == [303, 303] and len(edits()) == 1
    else:
        assert [a.status for a in answers] == [409, 303] and edits() == []


def test_a_reopened_round_keeps_its_allocations_rooms_and_slots(
    client, auth, draft, rooms, monday, provider_manager, organisation, ngo_owner
):
    dance, club = rooms
    service.open_round(draft, provider_manager)
    db.session.commit()
    activity = apply(draft, organisation, ngo_owner, dance, start=time(17), end=time(19))
    service.close_applications(draft, provider_manager)
    # Staff give it the club room on Wednesday, then reopen the round for late applicants.
    service.allocate(activity, club.id, 2, time(19), time(20, 30), provider_manager)
    service.open_round(draft, provider_manager)
    db.session.commit()
    auth.login(provider_manager)
    response = edit(client, draft, [dance], monday)
    assert response.status_code == 409 and "Sala klubowa" in response.text
    response = edit(client, draft, rooms, monday, **{"windows-2-ends": "20:00"})
    assert response.status_code == 409 and "okna można tylko poszerzyć" in response.text
    assert edits() == [] and len(only_round().spaces) == 2
