"""Booking requests by NGO members and decisions by providers, through the app."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingSeries, BookingStatus, Recurrence, SpaceKind
from tests.spaces.conftest import next_weekday


def request_form(day, **overrides):
    form = {
        "purpose": "Zajęcia taneczne dla seniorów",
        "people": "15",
        "day": day.isoformat(),
        "start": "17:00",
        "end": "19:00",
        "recurrence": "once",
        "action": "send",
    }
    form.update(overrides)
    return form


def only_series(organisation=None) -> BookingSeries:
    query = sa.select(BookingSeries)
    if organisation is not None:
        query = query.where(BookingSeries.organisation_id == organisation.id)
    return db.session.scalars(query).one()


@pytest.fixture
def room(make_space):
    return make_space("Sala widowiskowa", capacity=40)


def test_preview_shows_conflicts_per_occurrence(
    client, auth, room, make_booking, organisation, other_organisation, ngo_owner
):
    first = next_weekday(2)
    make_booking(room, other_organisation, first + timedelta(weeks=1), time(18), time(20))
    make_booking(
        room,
        other_organisation,
        first + timedelta(weeks=2),
        time(17),
        time(18),
        status=BookingStatus.PENDING,
    )
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(
            first,
            recurrence="weekly",
            count="3",
            action="preview",
            organisation=str(organisation.id),
        ),
    )
    assert response.status_code == 200
    html = response.text[response.text.index("planned-heading") :]
    assert html.count("badge-success") == 2 and html.count("niedostępne") == 1
    assert "(1 inny wniosek czeka)" in html
    # A preview writes nothing: only the two series arranged above exist.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 2


def test_recurring_request_skips_taken_dates_and_mails_both_sides(
    client,
    auth,
    room,
    make_booking,
    organisation,
    other_organisation,
    ngo_owner,
    provider_manager,
    outbox,
):
    first = next_weekday(2)
    make_booking(room, other_organisation, first + timedelta(weeks=1), time(18), time(20))
    auth.login(ngo_owner)
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(
            first,
            recurrence="weekly",
            until=(first + timedelta(weeks=3)).isoformat(),
            organisation=str(organisation.id),
        ),
    )
    assert response.status_code == 303
    series = only_series(organisation)
    assert [b.status for b in series.occurrences] == [
        BookingStatus.PENDING,
        BookingStatus.SKIPPED,
        BookingStatus.PENDING,
        BookingStatus.PENDING,
    ]
    assert series.occurrences[1].history[0].to_status == BookingStatus.SKIPPED
    topics = {(m.recipient, m.topic.split(":")[0]) for m in outbox()}
    assert (provider_manager.email, "booking-request") in topics
    assert (ngo_owner.email, "booking-sent") in topics


def test_request_validation_keeps_values_and_explains(client, auth, room, organisation, ngo_owner):
    auth.login(ngo_owner)
    day = next_weekday(2)
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(
            day,
            end="16:00",
            recurrence="weekly",
            purpose="Próby chóru",
            organisation=str(organisation.id),
        ),
    )
    assert response.status_code == 400
    assert "Próby chóru" in response.text
    assert "Godzina końca musi być późniejsza" in response.text
    assert "Podaj datę końcową albo liczbę terminów." in response.text
    fragment = client.hx_post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(day, people="90", organisation=str(organisation.id)),
    )
    assert fragment.status_code == 422
    assert "Sala mieści najwyżej 40 osób." in fragment.text
    assert "<html" not in fragment.text


def test_only_members_may_request_for_an_organisation(
    client, auth, room, organisation, make_user, make_organisation
):
    stranger = make_user()
    make_organisation(owner=stranger)
    auth.login(stranger)
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(next_weekday(2), organisation=str(organisation.id)),
    )
    assert response.status_code == 400  # not among the form's choices
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries)) == 0


def test_approving_one_tells_the_competitors_with_a_reason(
    client, auth, room, make_booking, organisation, other_organisation, provider_manager, outbox
):
    day = next_weekday(3)
    mine = make_booking(room, organisation, day, time(17), time(19), status=BookingStatus.PENDING)
    theirs = make_booking(
        room, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING
    )
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/rezerwacje/{mine.series_id}")
    assert "Inne wnioski na ten czas" in page.text and other_organisation.name in page.text
    response = client.post(f"/przestrzenie/rezerwacje/{mine.series_id}/zatwierdz")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, mine.id).status == BookingStatus.APPROVED
    loser = db.session.get(Booking, theirs.id)
    assert loser.status == BookingStatus.DECLINED
    assert "innej organizacji" in loser.status_reason
    assert loser.history[-1].actor_id == provider_manager.id
    told = [m for m in outbox() if m.topic == f"booking-declined:{theirs.series_id}"]
    assert told and "innej organizacji" in told[0].body
    assert any(m.topic == f"booking-approved:{mine.series_id}" for m in outbox())


def test_approve_or_decline_single_occurrences(
    client, auth, room, organisation, ngo_owner, provider_manager, outbox
):
    day = next_weekday(1)
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Warsztaty", 10, day, time(17), time(19), recurrence=Recurrence.WEEKLY, count=3
        ),
    )
    first, second, third = (b.id for b in series.occurrences)
    auth.login(provider_manager)
    assert (
        client.post(
            f"/przestrzenie/rezerwacje/{series.id}/zatwierdz", data={"occurrence": [first, third]}
        ).status_code
        == 303
    )
    missing_reason = client.post(
        f"/przestrzenie/rezerwacje/{series.id}/odrzuc", data={"occurrence": [second]}
    )
    assert missing_reason.status_code == 400
    response = client.post(
        f"/przestrzenie/rezerwacje/{series.id}/odrzuc",
        data={"occurrence": [second], "reason": "Tego dnia jest zebranie z rodzicami."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    statuses = [db.session.get(Booking, i).status for i in (first, second, third)]
    assert statuses == [BookingStatus.APPROVED, BookingStatus.DECLINED, BookingStatus.APPROVED]
    declined_mail = [m for m in outbox() if m.topic == f"booking-declined:{series.id}"]
    assert "zebranie z rodzicami" in declined_mail[0].body
    # The series itself is intact: an occurrence can be declined without touching the others.
    assert db.session.get(Booking, first).sequence == 1


def test_auto_approval_for_verified_organisations(
    client, auth, room, provider, provider_manager, organisation, ngo_owner, outbox
):
    auth.login(provider_manager)
    client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/automatyczne-zatwierdzanie",
        data={"enabled": "1"},
    )
    organisation.verified_at = utcnow()
    db.session.commit()
    auth.login(ngo_owner)
    client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(next_weekday(2), organisation=str(organisation.id)),
    )
    series = only_series()
    assert [b.status for b in series.occurrences] == [BookingStatus.APPROVED]
    assert any(m.topic.startswith("booking-approved") for m in outbox())


def test_unverified_organisations_wait_for_a_decision(
    client, auth, room, provider, organisation, ngo_owner
):
    provider.auto_approve_verified = True
    db.session.commit()
    auth.login(ngo_owner)
    client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(next_weekday(2), organisation=str(organisation.id)),
    )
    assert [b.status for b in only_series().occurrences] == [BookingStatus.PENDING]


def test_either_side_cancels_with_a_reason(
    client, auth, room, make_booking, organisation, ngo_owner, provider_manager, outbox
):
    day = next_weekday(2)
    booking = make_booking(room, organisation, day)
    auth.login(ngo_owner)
    assert (
        client.post(
            f"/przestrzenie/rezerwacje/{booking.series_id}/odwolaj", data={"reason": ""}
        ).status_code
        == 400
    )
    response = client.post(
        f"/przestrzenie/rezerwacje/{booking.series_id}/odwolaj",
        data={"reason": "Prowadząca zachorowała."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED
    to_provider = [m for m in outbox() if m.recipient == provider_manager.email]
    assert "Prowadząca zachorowała." in to_provider[0].body
    # The provider cancels another one; the NGO is told.
    other = make_booking(room, organisation, day + timedelta(days=1))
    auth.login(provider_manager)
    client.post(
        f"/przestrzenie/rezerwacje/{other.series_id}/odwolaj", data={"reason": "Awaria ogrzewania."}
    )
    assert any("Awaria ogrzewania." in m.body and m.recipient == ngo_owner.email for m in outbox())


def test_moving_one_occurrence_keeps_the_series(
    client, auth, room, organisation, ngo_owner, provider_manager
):
    day = next_weekday(1)
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Koło szachowe",
            8,
            day,
            time(16),
            time(18),
            recurrence=Recurrence.WEEKLY,
            count=3,
        ),
    )
    service.approve(series.occurrences, provider_manager)
    middle = series.occurrences[1]
    auth.login(ngo_owner)
    new_day = day + timedelta(weeks=1, days=1)
    response = client.post(
        f"/przestrzenie/terminy/{middle.id}/przenies",
        data={"day": new_day.isoformat(), "start": "10:00", "end": "11:30"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    moved = db.session.get(Booking, middle.id)
    assert moved.status == BookingStatus.PENDING  # an NGO's move needs approval again
    assert moved.sequence == 2 and moved.id == middle.id  # same UID, new SEQUENCE
    assert [b.status for b in db.session.get(BookingSeries, series.id).occurrences].count(
        BookingStatus.APPROVED
    ) == 2


def test_skipped_occurrence_can_be_readded_when_the_slot_frees(
    client, auth, room, make_booking, organisation, other_organisation, ngo_owner, provider_manager
):
    day = next_weekday(2)
    blocker = make_booking(room, other_organisation, day + timedelta(weeks=1), time(17), time(19))
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Próby", 8, day, time(17), time(19), recurrence=Recurrence.WEEKLY, count=2
        ),
    )
    skipped = series.occurrences[1]
    assert skipped.status == BookingStatus.SKIPPED
    auth.login(ngo_owner)
    still_taken = client.post(f"/przestrzenie/terminy/{skipped.id}/dodaj-ponownie")
    assert still_taken.status_code == 409
    service.cancel(
        [db.session.get(Booking, blocker.id)], provider_manager, "Odwołane", by_provider=True
    )
    assert client.post(f"/przestrzenie/terminy/{skipped.id}/dodaj-ponownie").status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, skipped.id).status == BookingStatus.PENDING


def test_provider_marks_a_no_show(client, auth, room, make_booking, organisation, provider_manager):
    past = make_booking(room, organisation, next_weekday(2) - timedelta(weeks=3))
    future = make_booking(room, organisation, next_weekday(2))
    auth.login(provider_manager)
    assert client.post(f"/przestrzenie/terminy/{past.id}/nieobecnosc").status_code == 303
    refused = client.post(f"/przestrzenie/terminy/{future.id}/nieobecnosc")
    assert refused.status_code == 409
    assert "tylko dla minionego, zatwierdzonego terminu" in refused.text
    db.session.expire_all()
    assert db.session.get(Booking, past.id).status == BookingStatus.NO_SHOW
    assert db.session.get(Booking, future.id).status == BookingStatus.APPROVED


def test_equipment_request_takes_a_quantity(
    client, auth, make_space, make_booking, organisation, other_organisation, ngo_owner
):
    stage = make_space("Scena mobilna", kind=SpaceKind.EQUIPMENT, stock=4, capacity=None)
    day = next_weekday(5)
    make_booking(stage, other_organisation, day, time(10), time(14), quantity=3)
    auth.login(ngo_owner)
    too_many = client.post(
        f"/przestrzenie/sala/{stage.slug}/rezerwuj",
        data=request_form(
            day, start="12:00", end="13:00", quantity="2", organisation=str(organisation.id)
        ),
    )
    assert too_many.status_code == 409
    assert "Żaden z terminów nie jest dostępny." in too_many.text
    ok = client.post(
        f"/przestrzenie/sala/{stage.slug}/rezerwuj",
        data=request_form(
            day, start="12:00", end="13:00", quantity="1", organisation=str(organisation.id)
        ),
    )
    assert ok.status_code == 303


def test_series_page_as_fragment(client, auth, room, make_booking, organisation, provider_manager):
    booking = make_booking(room, organisation, next_weekday(2), status=BookingStatus.PENDING)
    auth.login(provider_manager)
    response = client.hx_post(f"/przestrzenie/rezerwacje/{booking.series_id}/zatwierdz")
    assert response.status_code == 200
    assert "<html" not in response.text and "zatwierdzona" in response.text


def test_htmx_request_navigates_to_the_new_booking(client, auth, room, organisation, ngo_owner):
    auth.login(ngo_owner)
    response = client.hx_post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data=request_form(next_weekday(2), organisation=str(organisation.id)),
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/przestrzenie/rezerwacje/{only_series().id}"


def test_declined_occurrences_cannot_be_readded(
    client, auth, room, make_booking, organisation, ngo_owner
):
    booking = make_booking(room, organisation, next_weekday(2), status=BookingStatus.DECLINED)
    auth.login(ngo_owner)
    refused = client.hx_post(f"/przestrzenie/terminy/{booking.id}/dodaj-ponownie")
    assert refused.status_code == 409
    assert "Ten termin jest już w rezerwacji." in refused.text
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.DECLINED


def test_inbox_shows_competing_requests(
    client, auth, room, provider, make_booking, organisation, other_organisation, provider_manager
):
    day = next_weekday(3)
    make_booking(room, organisation, day, time(17), time(19), status=BookingStatus.PENDING)
    make_booking(room, other_organisation, day, time(18), time(20), status=BookingStatus.PENDING)
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/wnioski")
    assert page.text.count("1 konkurencyjny wniosek") == 2
