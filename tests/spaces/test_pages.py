"""The catalogue with filters in the URL, the space page with its week view, dashboards."""

from __future__ import annotations

from datetime import time, timedelta

from app.extensions import db
from app.spaces.models import BookingStatus, ProviderManager, SpaceKind, TermsKind
from app.spaces.service import conflicts_for, slot_for, week_grid, week_start
from tests.spaces.conftest import next_weekday


def test_catalogue_filters_live_in_the_url(client, make_space):
    make_space(
        "Sala Rubinkowo", district="rubinkowo", capacity=20, features=["projector", "step_free"]
    )
    make_space("Sala Skarpa", district="na-skarpie", capacity=60, terms=TermsKind.BARTER)
    make_space("Krzesła", kind=SpaceKind.EQUIPMENT, stock=100, capacity=None, district="podgorz")
    page = client.get("/przestrzenie/")
    assert page.status_code == 200 and "3 przestrzenie" in page.text
    by_district = client.get("/przestrzenie/?district=na-skarpie")
    assert "Sala Skarpa" in by_district.text and "Sala Rubinkowo" not in by_district.text
    assert "1 przestrzeń" in by_district.text
    both = client.get("/przestrzenie/?equipment=projector&accessibility=step_free&capacity=10")
    assert "Sala Rubinkowo" in both.text and "Sala Skarpa" not in both.text
    assert "Sala Skarpa" in client.get("/przestrzenie/?terms=barter").text
    equipment = client.get("/przestrzenie/?kind=equipment")
    assert "Krzesła" in equipment.text and "Sala Skarpa" not in equipment.text
    fragment = client.hx_get("/przestrzenie/?district=rubinkowo")
    assert "<html" not in fragment.text and "Sala Rubinkowo" in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    # Nonsense in the URL is ignored, not a 500.
    assert client.get("/przestrzenie/?capacity=abc&kind=castle&terms=gold").status_code == 200


def test_week_view_with_previous_and_next_week(client, make_space, make_booking, organisation):
    space = make_space(hours=(time(16), time(21)))
    day = next_weekday(2)
    make_booking(space, organisation, day, time(17), time(19), public_title="Próba chóru")
    make_booking(space, organisation, day, time(19), time(20), status=BookingStatus.PENDING)
    monday = week_start(day)
    page = client.get(f"/przestrzenie/sala/{space.slug}?tydzien={day.isoformat()}")
    assert page.status_code == 200
    assert page.text.count("Próba chóru") == 1  # one interval, 17:00–19:00
    assert "wolne, są wnioski" in page.text and "wolne" in page.text
    # Plain links work without JavaScript; htmx gets only the week.
    assert f"tydzien={(monday + timedelta(days=7)).isoformat()}" in page.text
    fragment = client.hx_get(
        f"/przestrzenie/sala/{space.slug}?tydzien={(monday + timedelta(days=7)).isoformat()}"
    )
    assert "<html" not in fragment.text and "Próba chóru" not in fragment.text
    assert client.get(f"/przestrzenie/sala/{space.slug}?tydzien=bad").status_code == 200
    assert client.get("/przestrzenie/sala/nie-ma-takiej").status_code == 404


def test_week_view_calls_free_only_what_a_request_could_get(
    client, make_space, make_booking, organisation
):
    """Regression (found by the browser flow that books "the first free hour"): the grid
    ignored the buffer, so the hour after a booking said "wolne" and a request for it was
    refused. Free now means what a request is checked against – to the minute."""
    space = make_space(hours=(time(16), time(21)), buffer_minutes=30)
    day = next_weekday(2)
    make_booking(space, organisation, day, time(17), time(19), public_title="Próba chóru")
    entry = next(e for e in week_grid(space, week_start(day)) if e.day == day)
    assert [(i.state, i.label) for i in entry.intervals] == [
        ("free", ""),
        ("break", ""),
        ("busy", "Próba chóru"),
        ("break", ""),
        ("free", ""),
    ]
    free = [i for i in entry.intervals if i.state == "free"]
    assert [(i.starts_at, i.ends_at) for i in free] == [
        slot_for(day, time(16), time(16, 30)),
        slot_for(day, time(19, 30), time(21)),
    ]
    for interval in entry.intervals:
        refused = bool(conflicts_for(space, interval.starts_at, interval.ends_at))
        assert refused == (interval.state != "free"), interval


def test_ngo_dashboard_upcoming_pending_past(
    client, auth, make_space, make_booking, organisation, ngo_owner
):
    space = make_space("Sala 7")
    make_booking(space, organisation, next_weekday(2), status=BookingStatus.PENDING)
    make_booking(space, organisation, next_weekday(3))
    make_booking(space, organisation, next_weekday(3) - timedelta(weeks=4))
    auth.login(ngo_owner)
    page = client.get("/przestrzenie/moje-rezerwacje")
    html = page.text
    assert html.index("Czekają na decyzję") < html.index("oczekuje") < html.index("Nadchodzące")
    assert html.count("zatwierdzona") == 2


def test_provider_occupancy_per_space_and_week(
    client, auth, make_space, make_booking, organisation, provider, provider_manager
):
    space = make_space("Sala 8", hours=(time(10), time(20)))  # 70 open hours a week
    day = next_weekday(2)
    make_booking(space, organisation, day, time(10), time(17))  # 7 hours = 10%
    auth.login(provider_manager)
    page = client.get(
        f"/przestrzenie/udostepniajacy/{provider.slug}/oblozenie?tydzien={day.isoformat()}"
    )
    assert page.status_code == 200 and "10%" in page.text
    inbox = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski")
    assert inbox.status_code == 200


def test_request_page_for_users_without_organisation(client, auth, make_space, volunteer):
    space = make_space()
    auth.login(volunteer)
    page = client.get(f"/przestrzenie/sala/{space.slug}/rezerwuj")
    assert page.status_code == 200 and "Rezerwacje są dla organizacji" in page.text
    db.session.rollback()


def test_pages_and_mail_in_english_and_ukrainian(
    client, make_space, make_user, organisation, outbox
):
    from app.spaces import service

    space = make_space("Sala 3", capacity=2)
    english = client.get("/przestrzenie/?capacity=1", headers={"Accept-Language": "en"})
    assert "1 space" in english.text and "Spaces and equipment" in english.text
    assert "2 places" in english.text
    ukrainian = client.get(f"/przestrzenie/sala/{space.slug}", headers={"Accept-Language": "uk"})
    assert "Години роботи" in ukrainian.text and "2 місця" in ukrainian.text
    manager = make_user(locale="uk")
    space.provider.managers.append(ProviderManager(user=manager))
    db.session.commit()
    owner = organisation.memberships[0].user
    service.create_request(
        space,
        organisation,
        owner,
        service.BookingRequest("Zebranie", 2, next_weekday(2), time(17), time(18)),
    )
    to_manager = [m for m in outbox() if m.recipient == manager.email]
    assert to_manager and "Новий запит на бронювання" in to_manager[0].subject


def test_occupancy_and_ledger_as_fragments(
    client, auth, make_space, organisation, provider, provider_manager
):
    make_space("Sala 9")
    auth.login(provider_manager)
    week = client.hx_get(
        f"/przestrzenie/udostepniajacy/{provider.slug}/oblozenie?tydzien=2027-01-04"
    )
    assert week.status_code == 200 and "<html" not in week.text and "Sala 9" in week.text
    ledger = client.hx_post(
        f"/przestrzenie/barter/{provider.slug}/{organisation.slug}",
        data={"day": "2027-01-04", "hours": "abc", "description": ""},
    )
    assert ledger.status_code == 422 and "<html" not in ledger.text
    assert "Popraw błędy w formularzu" in ledger.text


def test_equipment_week_shows_busy_only_when_all_pieces_are_out(
    client, make_space, make_booking, organisation, other_organisation
):
    projectors = make_space(
        "Rzutniki", kind=SpaceKind.EQUIPMENT, stock=2, capacity=None, hours=(time(8), time(12))
    )
    day = next_weekday(2)
    make_booking(projectors, organisation, day, time(8), time(10))
    make_booking(projectors, other_organisation, day, time(9), time(11))
    page = client.get(f"/przestrzenie/sala/{projectors.slug}?tydzien={day.isoformat()}")
    grid = page.text[page.text.index("week-grid") :]
    assert grid.count("slot-busy") == 1  # only 9:00–10:00 has both out


def test_conflict_through_htmx_is_a_409_fragment(
    client, auth, make_space, make_booking, organisation, other_organisation, ngo_owner
):
    space = make_space()
    day = next_weekday(2)
    make_booking(space, other_organisation, day, time(17), time(19), public_title="Próba")
    auth.login(ngo_owner)
    response = client.hx_post(
        f"/przestrzenie/sala/{space.slug}/rezerwuj",
        data={
            "organisation": str(organisation.id),
            "purpose": "Spotkanie",
            "people": "5",
            "day": day.isoformat(),
            "start": "18:00",
            "end": "19:00",
            "recurrence": "once",
            "action": "send",
        },
    )
    assert response.status_code == 409
    assert "<html" not in response.text and "Próba" in response.text


def test_space_page_lists_upcoming_closures_with_their_reasons(client, make_space, provider):
    """Issue 10 item 4: a closed day did not say why; closures were nowhere on the page."""
    from app.spaces.models import Closure, ClosureReason

    space = make_space()
    day = next_weekday(2)
    db.session.add_all(
        [
            Closure(
                provider_id=provider.id,
                starts_on=day,
                ends_on=day + timedelta(days=4),
                reason=ClosureReason.SCHOOL_HOLIDAY,
                note="ferie zimowe",
            ),
            Closure(
                space_id=space.id,
                starts_on=day - timedelta(days=30),
                ends_on=day - timedelta(days=20),
                reason=ClosureReason.RENOVATION,
                note="dawno minione malowanie",
            ),
        ]
    )
    db.session.commit()
    page = client.get(f"/przestrzenie/sala/{space.slug}").text
    assert "Najbliższe zamknięcia" in page
    assert "ferie lub wakacje szkolne (ferie zimowe)" in page
    assert "dawno minione malowanie" not in page


def test_catalogue_is_paginated_with_the_filters_kept(client, make_space):
    for number in range(26):
        make_space(f"Sala {number:02d}", district="rubinkowo")
    first = client.get("/przestrzenie/?district=rubinkowo")
    assert "26 przestrzeni" in first.text  # the count is of all, not of the page
    assert "Sala 23" in first.text and "Sala 24" not in first.text
    assert 'href="/przestrzenie/?district=rubinkowo&amp;page=2" rel="next"' in first.text
    second = client.get("/przestrzenie/?district=rubinkowo&page=2")
    assert "Sala 24" in second.text and "Sala 25" in second.text and "Sala 00" not in second.text
    assert '<span aria-current="page">2</span>' in second.text
    # A page past the end shows the last one; nonsense shows the first.
    assert "Sala 25" in client.get("/przestrzenie/?page=99").text
    assert "Sala 00" in client.get("/przestrzenie/?page=abc").text
