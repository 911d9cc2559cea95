"""Editing a round that organisations applied to mails each applying organisation's members
what changed (before and after, in their language), through the outbox after the commit;
a draft or a round nobody applied to, an edit that changes nothing and a refused edit mail
nobody."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from babel import dates

from app.extensions import db
from app.i18n import FORMATTING_LOCALES
from app.spaces.rounds import service
from app.spaces.rounds.models import TermKind
from tests.spaces.conftest import next_weekday
from tests.spaces.test_rounds import apply, round_form


@pytest.fixture
def monday():
    return next_weekday(0) + timedelta(days=14)


@pytest.fixture
def rooms(make_space):
    return (
        make_space("Sala taneczna", capacity=30),
        make_space("Sala klubowa", capacity=12),
        make_space("Aula", capacity=80),
    )


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
            space_ids=[r.id for r in rooms[:2]],
            windows=[(0, time(15), time(21)), (2, time(15), time(21))],
        ),
    )
    db.session.commit()
    return round_


def edit(client, round_, rooms, monday, **overrides):
    form = round_form(rooms, monday, **{"name": "Nabór jesienny", "description": "", **overrides})
    form.setdefault("applications_close_on", (monday - timedelta(days=1)).isoformat())
    return client.post(f"/przestrzenie/nabory/{round_.id}/edycja", data=form)


def day(value, locale="pl") -> str:
    return dates.format_date(value, "long", locale=locale)


def edit_mails(outbox):
    return [m for m in outbox() if (m.topic or "").startswith("round-edited:")]


def test_applicants_are_told_what_changed_in_their_language(
    client,
    auth,
    draft,
    rooms,
    monday,
    provider_manager,
    organisation,
    ngo_owner,
    make_user,
    make_organisation,
    outbox,
):
    dance, club, _hall = rooms
    service.open_round(draft, provider_manager)
    db.session.commit()
    editor = make_user("redaktor@example.org", name="Olek Redaktor", locale="en")
    other_owner = make_user("inna-fundacja@example.org", name="Ola Prezeska", locale="uk")
    other = make_organisation("Stowarzyszenie Sąsiedzi", owner=other_owner, editors=[editor])
    apply(draft, organisation, ngo_owner, dance, start=time(17), end=time(19))
    apply(draft, other, other_owner, club, weekday=2, start=time(16), end=time(18))
    auth.login(provider_manager)
    response = edit(
        client,
        draft,
        rooms[:2],
        monday,
        name="Nabór jesienny 2026",
        season_ends_on=(monday + timedelta(days=60)).isoformat(),
        applications_close_on=monday.isoformat(),
        **{"windows-4-starts": "15:00", "windows-4-ends": "20:00"},
    )
    assert response.status_code == 303
    mails = edit_mails(outbox)
    assert sorted(m.recipient for m in mails) == sorted(
        [ngo_owner.email, other_owner.email, editor.email]
    )
    assert {m.topic for m in mails} == {
        f"round-edited:{draft.id}:{organisation.id}",
        f"round-edited:{draft.id}:{other.id}",
    }
    assert provider_manager.email not in {m.recipient for m in outbox()}
    mine = next(m for m in mails if m.recipient == ngo_owner.email)
    assert mine.subject == "Zmiana naboru: Nabór jesienny 2026"
    body = mine.body
    assert "Nabór „Nabór jesienny 2026” (" in body
    assert "organizacja Fundacja Razem złożyła wniosek, został zmieniony:" in body
    assert "Nazwa: było „Nabór jesienny”, jest „Nabór jesienny 2026”." in body
    start, end, later, deadline = (
        day(monday),
        day(monday + timedelta(days=30)),
        day(monday + timedelta(days=60)),
        day(monday - timedelta(days=1)),
    )
    assert f"Sezon: było {start} – {end}, jest {start} – {later}." in body
    assert f"Termin składania wniosków: było {deadline}, jest {start}." in body
    assert (
        "Okna czasowe: było poniedziałek 15:00–21:00, środa 15:00–21:00, jest poniedziałek "
        "15:00–21:00, środa 15:00–21:00, piątek 15:00–20:00." in body
    )
    assert "Sale naboru" not in body and "Opis naboru" not in body
    assert f"/przestrzenie/nabory/{draft.id}" in body
    english = next(m for m in mails if m.recipient == editor.email)
    assert english.subject == "Change of the round: Nabór jesienny 2026"
    assert "Windows: were Monday 15:00–21:00" in english.body
    assert "Friday 15:00–20:00." in english.body
    assert f"Season: was {day(monday, FORMATTING_LOCALES['en'])} – " in english.body
    ukrainian = next(m for m in mails if m.recipient == other_owner.email)
    assert "Stowarzyszenie Sąsiedzi" in ukrainian.body and "п’ятниця" in ukrainian.body
    # A second edit: a space added and the description written, mailed again.
    response = edit(
        client,
        draft,
        rooms,
        monday,
        name="Nabór jesienny 2026",
        season_ends_on=(monday + timedelta(days=60)).isoformat(),
        applications_close_on=monday.isoformat(),
        description="Klucze u woźnego.",
        **{"windows-4-starts": "15:00", "windows-4-ends": "20:00"},
    )
    assert response.status_code == 303
    latest = [m for m in edit_mails(outbox) if m.recipient == ngo_owner.email][-1]
    assert "Sale naboru: Aula, Sala klubowa, Sala taneczna. Dodane: Aula." in latest.body
    assert "Opis naboru zmieniony: Klucze u woźnego." in latest.body
    assert "Nazwa:" not in latest.body and "Okna czasowe" not in latest.body


def test_nobody_is_mailed_without_applicants_a_change_or_when_the_edit_is_refused(
    client, auth, draft, rooms, monday, provider_manager, organisation, ngo_owner, outbox
):
    dance, club, _hall = rooms
    auth.login(provider_manager)
    # A draft nobody applied to (nobody can apply to a draft).
    assert edit(client, draft, rooms[:2], monday, name="Nabór zimowy").status_code == 303
    service.open_round(draft, provider_manager)
    db.session.commit()
    # Open, still nobody applied.
    assert edit(client, draft, rooms[:2], monday, name="Nabór wiosenny").status_code == 303
    assert edit_mails(outbox) == []
    apply(draft, organisation, ngo_owner, dance, start=time(17), end=time(19))
    # Nothing changed, and a change that would take the wished room away (refused).
    assert edit(client, draft, rooms[:2], monday, name="Nabór wiosenny").status_code == 303
    assert edit(client, draft, [club], monday, name="Inny").status_code == 409
    assert edit_mails(outbox) == []
