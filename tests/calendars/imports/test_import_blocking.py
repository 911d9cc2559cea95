"""Imported busy times block a space exactly as confirmed bookings do: the week grid, requests
(also auto-approved ones), approvals, moves, re-adds and the venue matching; a confirmed booking
that an import now overlaps stays, and the provider is told."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from app.calendars.imports import service as imports
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import OutboxMessage
from app.spaces import service
from app.spaces.matching import Need, match_venues
from app.spaces.models import BookingStatus, Recurrence
from app.timeutil import to_local
from tests.calendars.imports.conftest import calendar, days_after, lesson

BLOCKED = "Zajęte (kalendarz szkoły)."


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def school_day(weekday_ahead):
    return weekday_ahead


@pytest.fixture
def gym(make_space):
    return make_space("Sala gimnastyczna", buffer_minutes=30)


@pytest.fixture
def timetable(ics_server, provider, gym, school_day):
    """The school's timetable: the gym is used on the day 17:00–19:00."""
    url = ics_server.serve("/plan.ics", calendar(lesson("sks", school_day, time(17), time(19))))
    source, _ = imports.add_source(
        provider, url=url, space=gym, transparent_is_busy=False, user=None
    )
    db.session.commit()
    return source


def request(day, start, end, **fields):
    return service.BookingRequest(
        purpose="Próba chóru", people=10, first_day=day, start_time=start, end_time=end, **fields
    )


def test_the_week_grid_shows_school_calendar_times_as_busy(client, gym, timetable, school_day):
    week = service.week_grid(gym, service.week_start(school_day))
    [day] = [d for d in week if d.day == school_day]
    states = [
        (
            to_local(i.starts_at).strftime("%H:%M"),
            to_local(i.ends_at).strftime("%H:%M"),
            i.state,
            i.label,
        )
        for i in day.intervals
    ]
    # A booking must end 30 minutes (the gym's break) before the school's event; after the
    # event the gym is free at once (the school's event needs no cleaning time of ours).
    assert ("16:30", "17:00", "break", "") in states
    assert ("17:00", "19:00", "busy", "zajęte (kalendarz szkoły)") in states
    after = [s for s in states if s[0] == "19:00"]
    assert after and after[0][2] == "free"
    page = client.get(
        f"/przestrzenie/sala/{gym.slug}?tydzien={service.week_start(school_day).isoformat()}"
    ).get_data(as_text=True)
    assert "zajęte (kalendarz szkoły)" in page
    assert "SKS" not in page and "Matematyka" not in page


def test_a_request_skips_imported_times_and_the_rest_is_requested(
    gym, timetable, school_day, organisation, ngo_owner
):
    series = service.create_request(
        gym,
        organisation,
        ngo_owner,
        request(school_day, time(18), time(20), recurrence=Recurrence.WEEKLY, count=2),
    )
    first, second = series.occurrences
    assert (first.status, first.status_reason) == (BookingStatus.SKIPPED, BLOCKED)
    assert second.status == BookingStatus.PENDING

    with pytest.raises(DomainError, match="Żaden z terminów"):
        service.create_request(
            gym, organisation, ngo_owner, request(school_day, time(16), time(16, 45))
        )
    later = service.create_request(
        gym, organisation, ngo_owner, request(school_day, time(19), time(20))
    )
    assert later.occurrences[0].status == BookingStatus.PENDING


def test_auto_approval_never_approves_an_imported_time(
    gym, timetable, school_day, organisation, ngo_owner
):
    gym.auto_approve_verified = True
    organisation.verified_at = utcnow()
    db.session.commit()
    series = service.create_request(
        gym,
        organisation,
        ngo_owner,
        request(school_day, time(17), time(18), recurrence=Recurrence.WEEKLY, count=2),
    )
    assert [b.status for b in series.occurrences] == [BookingStatus.SKIPPED, BookingStatus.APPROVED]


def test_an_import_after_the_request_blocks_its_approval(
    client,
    auth,
    ics_server,
    provider,
    provider_manager,
    gym,
    school_day,
    organisation,
    make_booking,
):
    pending = make_booking(
        gym, organisation, school_day, time(17), time(18), status=BookingStatus.PENDING
    )
    url = ics_server.serve("/plan.ics", calendar(lesson("rada", school_day, time(17), time(19))))
    imports.add_source(provider, url=url, space=None, transparent_is_busy=False, user=None)
    db.session.commit()
    assert service.decision_problems(gym, [pending]) == {pending.id: [BLOCKED]}
    auth.login(provider_manager)
    inbox = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski")
    assert BLOCKED in inbox.get_data(as_text=True)  # seen before anyone decides
    with pytest.raises(DomainError, match="nie może być zatwierdzony") as refused:
        service.approve([pending], provider_manager)
    assert refused.value.status == 409
    db.session.rollback()
    assert db.session.get(type(pending), pending.id).status == BookingStatus.PENDING


def test_moves_and_re_adds_respect_imported_times(
    gym, timetable, school_day, organisation, provider_manager, make_booking
):
    booking = make_booking(gym, organisation, days_after(school_day, 1), time(17), time(18))
    with pytest.raises(DomainError, match="kalendarz szkoły"):
        service.move(booking, school_day, time(17), time(18), provider_manager, by_provider=True)
    db.session.rollback()
    cancelled = make_booking(
        gym, organisation, school_day, time(18), time(19), status=BookingStatus.CANCELLED
    )
    with pytest.raises(DomainError, match="kalendarz szkoły"):
        service.readd(cancelled, provider_manager)


def test_a_calendar_for_all_spaces_blocks_every_space_also_one_added_later(
    ics_server, provider, make_space, school_day
):
    hall = make_space("Aula")
    url = ics_server.serve(
        "/wydarzenia.ics", calendar(lesson("apel", school_day, time(10), time(12)))
    )
    imports.add_source(provider, url=url, space=None, transparent_is_busy=False, user=None)
    db.session.commit()
    later = make_space("Sala 12")
    starts_at, ends_at = service.slot_for(school_day, time(11), time(12))
    for space in (hall, later):
        assert BLOCKED in service.rule_problems(space, starts_at, ends_at)


def test_matching_leaves_out_spaces_busy_in_the_school_calendar(
    make_space, gym, timetable, school_day
):
    make_space("Świetlica", capacity=40)
    busy_need = Need(day=school_day, start=time(17, 30), end=time(18, 30), people=10)
    assert [m.space.name for m in match_venues(busy_need).matches] == ["Świetlica"]
    free_need = Need(day=school_day, start=time(20), end=time(21), people=10)
    assert {m.space.name for m in match_venues(free_need).matches} == {"Świetlica", gym.name}


def test_an_import_that_overlaps_a_confirmed_booking_tells_the_provider(
    client,
    auth,
    ics_server,
    provider,
    provider_manager,
    gym,
    school_day,
    organisation,
    make_booking,
):
    booking = make_booking(gym, organisation, school_day, time(17), time(18))
    url = ics_server.serve(
        "/plan.ics", calendar(lesson("sks", days_after(school_day, 7), time(8), time(9)))
    )
    source, _ = imports.add_source(
        provider, url=url, space=gym, transparent_is_busy=False, user=None
    )
    db.session.commit()
    assert imports.collisions(source) == []

    ics_server.serve("/plan.ics", calendar(lesson("sks", school_day, time(16), time(17, 30))))
    imports.sync_source(source.id)
    imports.sync_source(source.id)  # the same collision is told once

    mails = list(
        db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.topic == f"calendar-import-collisions:{source.id}"
            )
        )
    )
    assert [m.recipient for m in mails] == [provider_manager.email]
    assert f"/przestrzenie/rezerwacje/{booking.series_id}" in mails[0].body
    assert db.session.get(type(booking), booking.id).status == BookingStatus.APPROVED
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze").get_data(
        as_text=True
    )
    assert "zajmuje terminy potwierdzonych rezerwacji" in page
    assert f"/przestrzenie/rezerwacje/{booking.series_id}" in page


def test_removing_the_calendar_frees_its_times(
    client, auth, provider, provider_manager, gym, timetable, school_day
):
    auth.login(provider_manager)
    answer = client.post(f"/przestrzenie/kalendarze/{timetable.id}/usun")
    assert answer.status_code == 303
    assert "Usunięto kalendarz 127.0.0.1/…" in client.get(answer.location).get_data(as_text=True)
    starts_at, ends_at = service.slot_for(school_day, time(17), time(18))
    assert service.rule_problems(gym, starts_at, ends_at) == []


def test_adding_a_calendar_over_confirmed_bookings_warns_at_once(
    client,
    auth,
    ics_server,
    provider,
    provider_manager,
    gym,
    school_day,
    organisation,
    make_booking,
):
    make_booking(gym, organisation, school_day, time(17), time(18))
    url = ics_server.serve("/plan.ics", calendar(lesson("sks", school_day, time(17), time(19))))
    auth.login(provider_manager)
    answer = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze",
        data={"url": url, "space": gym.slug, "action": "add"},
    )
    page = client.get(answer.location).get_data(as_text=True)
    assert "Koliduje z 1 potwierdzoną rezerwacją" in page
    assert (
        db.session.scalar(
            sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.topic.startswith("calendar-import-collisions:")
            )
        )
        == 1
    )
