"""Issue 10 item 5: a refusal of a taken slot says why – the break between bookings and the
time that would fit, or how many pieces of equipment remain – at every entry point: the
preview, the request, the approval, a move and a re-add."""

from __future__ import annotations

from datetime import time

import pytest

from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingStatus, Recurrence, SpaceKind
from tests.spaces.conftest import next_weekday
from tests.spaces.test_requests import request_form

FREE_FROM = "15 minut przerwy między rezerwacjami: sala wolna od 12:15."
END_BY = "15 minut przerwy między rezerwacjami: rezerwacja musi się skończyć do 09:45."


@pytest.fixture
def room(make_space):
    return make_space("Sala z przerwą", capacity=40, buffer_minutes=15)


@pytest.fixture
def day():
    return next_weekday(2)


@pytest.fixture
def morning(room, make_booking, other_organisation, day):
    """Another organisation's confirmed 10:00–12:00."""
    return make_booking(room, other_organisation, day, time(10), time(12))


def post_request(client, room, organisation, day, **overrides):
    form = request_form(day, organisation=str(organisation.id), **overrides)
    return client.post(f"/przestrzenie/sala/{room.slug}/rezerwuj", data=form)


def test_preview_and_request_name_the_break(
    client, auth, room, morning, organisation, ngo_owner, day
):
    auth.login(ngo_owner)
    after = post_request(client, room, organisation, day, start="12:00", end="13:00")
    assert after.status_code == 409
    assert "Żaden z terminów nie jest dostępny. " + FREE_FROM in after.text
    before = post_request(
        client, room, organisation, day, start="08:00", end="10:00", action="preview"
    )
    assert before.status_code == 200 and END_BY in before.text
    # A plain overlap is just taken: the list of bookings in the way says it, no break talk.
    overlap = post_request(client, room, organisation, day, start="11:00", end="13:00")
    assert overlap.status_code == 409 and "przerwy" not in overlap.text
    fragment = client.hx_post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(day, organisation=str(organisation.id), start="12:00", end="13:00"),
    )
    assert fragment.status_code == 409 and "<html" not in fragment.text
    assert FREE_FROM in fragment.text
    # 12:15 is what the message promises: it is accepted.
    assert post_request(client, room, organisation, day, start="12:15", end="13:00").status_code
    assert (
        db.session.scalar(
            db.select(Booking).where(Booking.status == BookingStatus.PENDING)
        ).starts_at
        == service.slot_for(day, time(12, 15), time(13))[0]
    )


def test_a_skipped_date_keeps_the_break_as_its_reason_and_readding_names_it(
    client, auth, room, make_booking, organisation, other_organisation, ngo_owner, day
):
    from datetime import timedelta

    make_booking(room, other_organisation, day + timedelta(weeks=1), time(10), time(12))
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Próby",
            8,
            day,
            time(12),
            time(13),
            recurrence=Recurrence.WEEKLY,
            count=2,
        ),
    )
    db.session.commit()
    skipped = series.occurrences[1]
    assert skipped.status == BookingStatus.SKIPPED
    assert FREE_FROM in skipped.status_reason
    auth.login(ngo_owner)
    refused = client.post(f"/przestrzenie/terminy/{skipped.id}/dodaj-ponownie")
    assert refused.status_code == 409
    assert "Termin jest nadal zajęty. " + FREE_FROM in refused.text
    fragment = client.hx_post(f"/przestrzenie/terminy/{skipped.id}/dodaj-ponownie")
    assert fragment.status_code == 409 and FREE_FROM in fragment.text


def test_moving_into_the_break_names_it(
    client, auth, room, morning, make_booking, organisation, ngo_owner, day
):
    from datetime import timedelta

    mine = make_booking(room, organisation, day + timedelta(days=1), time(12), time(13))
    auth.login(ngo_owner)
    refused = client.post(
        f"/przestrzenie/terminy/{mine.id}/przenies",
        data={"day": day.isoformat(), "start": "12:00", "end": "13:00"},
    )
    assert refused.status_code == 409
    assert "Nowy termin jest zajęty. " + FREE_FROM in refused.text
    earlier = client.hx_post(
        f"/przestrzenie/terminy/{mine.id}/przenies",
        data={"day": day.isoformat(), "start": "09:00", "end": "10:00"},
    )
    assert earlier.status_code == 409 and END_BY in earlier.text


def test_approving_into_the_break_names_it(
    client, auth, room, morning, make_booking, organisation, provider_manager, day
):
    pending = make_booking(
        room, organisation, day, time(12), time(13), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    refused = client.post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz")
    assert refused.status_code == 409 and FREE_FROM in refused.text
    db.session.expire_all()
    assert db.session.get(Booking, pending.id).status == BookingStatus.PENDING


def test_equipment_refusals_say_how_many_pieces_remain(
    client,
    auth,
    make_space,
    make_booking,
    organisation,
    other_organisation,
    ngo_owner,
    provider_manager,
    day,
):
    stage = make_space("Podesty", kind=SpaceKind.EQUIPMENT, stock=4, capacity=None)
    make_booking(stage, other_organisation, day, time(10), time(14), quantity=3)
    auth.login(ngo_owner)
    preview = post_request(
        client, stage, organisation, day, start="12:00", end="13:00", quantity="2", action="preview"
    )
    assert "W tym czasie dostępna jest 1 sztuka z 4." in preview.text
    refused = post_request(
        client, stage, organisation, day, start="12:00", end="13:00", quantity="2"
    )
    assert refused.status_code == 409
    assert "Żaden z terminów nie jest dostępny. W tym czasie dostępna jest 1 sztuka z 4." in (
        refused.text
    )
    # The approval of a request that no longer fits says the same.
    pending = make_booking(
        stage, organisation, day, time(13), time(15), status=BookingStatus.PENDING, quantity=2
    )
    auth.login(provider_manager)
    approval = client.hx_post(f"/przestrzenie/rezerwacje/{pending.series_id}/zatwierdz")
    assert approval.status_code == 409
    assert "W tym czasie dostępna jest 1 sztuka z 4." in approval.text
    # Polish plural forms: 2–4 "sztuki".
    make_booking(stage, other_organisation, day, time(16), time(18), quantity=1)
    plan = service.plan_request(
        stage, service.BookingRequest("Festyn", 5, day, time(16), time(17), quantity=4)
    )
    assert "W tym czasie dostępne są 3 sztuki z 4." in plan[0].problems
