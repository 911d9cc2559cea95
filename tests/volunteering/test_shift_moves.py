"""An organisation moves a shift to a new day or time: times, weekday/part-of-day filters and
the iCal SEQUENCE follow, the volunteers are told in their language, the day-before reminder
comes again for the new time, bad input keeps the form, other organisations cannot do it, and
the wall-clock time entered survives a DST change."""

from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import sqlalchemy as sa

from app.extensions import db
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering import service
from app.volunteering.models import OpportunityKind, Shift, Signup, SignupEvent, SignupStatus
from app.volunteering.vocab import daypart_of_hour


def _edit_url(organisation, shift):
    return f"/wolontariat/organizacja/{organisation.slug}/terminy/{shift.id}/edycja"


def _times(day: date, start: str, end: str) -> dict[str, str]:
    return {"day": day.isoformat(), "start": start, "end": end}


def _last_sunday(year: int, month: int) -> date:
    """The last Sunday of March or October (both have 31 days): Poland's clock changes."""
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _next_clock_change(month: int) -> date:
    """The next March/October clock change at least a few days away, so shifts around it are in
    the future whenever the tests run."""
    year = local_today().year
    while _last_sunday(year, month) <= local_today() + timedelta(days=3):
        year += 1
    return _last_sunday(year, month)


def test_moving_a_shift_updates_times_and_tells_the_volunteers(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner, outbox
):
    shift = make_shift(make_opportunity("Sprzątanie Barbarki"), capacity=1)
    accepted_user = make_user(locale="en")
    accepted = service.sign_up(shift.id, user=accepted_user, birth_year=1990)
    service.decide(accepted.id, accept=True, message="", actor=ngo_owner)
    waiting = service.sign_up(shift.id, user=make_user(locale="uk"), birth_year=1990)
    gone_user = make_user()
    gone = service.sign_up(shift.id, user=gone_user, birth_year=1990)
    service.cancel(gone.id, actor=gone_user)
    assert waiting.status == SignupStatus.WAITLISTED
    old_start = shift.starts_at
    mails_before = len(outbox())

    day = local_today() + timedelta(days=10)
    auth.login(ngo_owner)
    page = client.get(_edit_url(organisation, shift))
    assert page.status_code == 200
    assert f'value="{to_local(old_start):%H:%M}"' in page.text
    response = client.post(_edit_url(organisation, shift), data=_times(day, "17:30", "19:00"))
    assert response.status_code == 303

    db.session.expire_all()
    shift = db.session.get(Shift, shift.id)
    assert shift.starts_at == local_to_utc(day, time(17, 30))
    assert shift.ends_at == local_to_utc(day, time(19, 0))
    assert shift.sequence == 1
    assert shift.local_weekday == day.weekday()
    assert shift.local_daypart == daypart_of_hour(17) == "evening"
    # The sign-ups keep their places; their history records the move.
    assert db.session.get(Signup, accepted.id).status == SignupStatus.ACCEPTED
    assert db.session.get(Signup, waiting.id).status == SignupStatus.WAITLISTED
    moves = db.session.scalars(
        sa.select(SignupEvent).where(SignupEvent.reason.startswith("shift moved"))
    ).all()
    assert {event.signup_id for event in moves} == {accepted.id, waiting.id}
    assert all(event.actor_id == ngo_owner.id for event in moves)

    mails = outbox()[mails_before:]
    assert sorted(m.recipient for m in mails) == sorted([accepted_user.email, waiting.user.email])
    english = next(m for m in mails if m.recipient == accepted_user.email)
    assert english.subject == "Shift moved: Sprzątanie Barbarki"
    assert "17:30" in english.body and f"{to_local(old_start):%H:%M}" in english.body
    ukrainian = next(m for m in mails if m.recipient != accepted_user.email)
    assert ukrainian.subject.startswith("Зміна")
    assert "17:30" in ukrainian.body

    # The organisation's page of the offer links the form; the public page shows the new time.
    manage = client.get(
        f"/wolontariat/organizacja/{organisation.slug}/oferty/{shift.opportunity_id}"
    ).text
    assert _edit_url(organisation, shift) in manage
    assert "17:30" in client.get(f"/wolontariat/oferty/{shift.opportunity_id}").text


def test_same_times_change_nothing(
    client, auth, make_opportunity, make_shift, volunteer, organisation, ngo_owner, outbox
):
    day = local_today() + timedelta(days=5)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(day, time(10, 0)))
    service.sign_up(shift.id, user=volunteer, birth_year=1990)
    mails_before = len(outbox())
    local_start, local_end = to_local(shift.starts_at), to_local(shift.ends_at)
    auth.login(ngo_owner)
    response = client.post(
        _edit_url(organisation, shift),
        data=_times(local_start.date(), f"{local_start:%H:%M}", f"{local_end:%H:%M}"),
    )
    assert response.status_code == 303
    db.session.refresh(shift)
    assert shift.sequence == 0
    assert len(outbox()) == mails_before


def test_volunteers_calendar_shows_the_new_time_with_a_higher_sequence(
    client, auth, make_opportunity, make_shift, volunteer, organisation, ngo_owner
):
    shift = make_shift(make_opportunity("Dyżur w schronisku"))
    service.sign_up(shift.id, user=volunteer, birth_year=1990)
    auth.login(volunteer)
    token = client.get("/wolontariat/moje").text.split("/wolontariat/kalendarz/")[1].split('"')[0]
    feed = f"/wolontariat/kalendarz/{token}"
    before = next(iter(icalendar.Calendar.from_ical(client.get(feed).data).walk("VEVENT")))

    day = local_today() + timedelta(days=12)
    service.move_shift(
        shift.id,
        local_to_utc(day, time(9, 0)),
        local_to_utc(day, time(11, 0)),
        actor=ngo_owner,
    )
    after = next(iter(icalendar.Calendar.from_ical(client.get(feed).data).walk("VEVENT")))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == local_to_utc(day, time(9, 0))
    assert after.decoded("DTEND") == local_to_utc(day, time(11, 0))


def test_bad_times_keep_the_values_and_explain(
    client, auth, make_opportunity, make_shift, volunteer, organisation, ngo_owner, outbox
):
    shift = make_shift(make_opportunity())
    service.sign_up(shift.id, user=volunteer, birth_year=1990)
    mails_before = len(outbox())
    original = (shift.starts_at, shift.ends_at)
    url = _edit_url(organisation, shift)
    auth.login(ngo_owner)

    day = local_today() + timedelta(days=6)
    response = client.post(url, data=_times(day, "18:00", "16:15"))
    assert response.status_code == 400
    assert "Koniec musi być po początku." in response.text
    assert f'value="{day.isoformat()}"' in response.text
    assert 'value="18:00"' in response.text and 'value="16:15"' in response.text

    yesterday = local_today() - timedelta(days=1)
    response = client.hx_post(url, data=_times(yesterday, "10:00", "12:00"))
    assert response.status_code == 422
    assert "Termin musi być w przyszłości." in response.text
    assert "<html" not in response.text  # the form fragment, swapped in place
    assert f'value="{yesterday.isoformat()}"' in response.text

    response = client.post(url, data={"day": "", "start": "10:00", "end": "nonsense"})
    assert response.status_code == 400
    assert "Podaj dzień." in response.text and 'value="10:00"' in response.text

    # Errors in the member's language.
    ngo_owner.locale = "en"
    db.session.commit()
    response = client.post(url, data=_times(yesterday, "10:00", "12:00"))
    assert response.status_code == 400
    assert "The date must be in the future." in response.text

    db.session.refresh(shift)
    assert (shift.starts_at, shift.ends_at) == original and shift.sequence == 0
    assert len(outbox()) == mails_before


def test_micro_volunteering_stays_within_two_hours(
    client, auth, make_opportunity, make_shift, organisation, ngo_owner
):
    shift = make_shift(
        make_opportunity(kind=OpportunityKind.MICRO, requires_approval=False), hours=1
    )
    day = local_today() + timedelta(days=4)
    auth.login(ngo_owner)
    response = client.post(_edit_url(organisation, shift), data=_times(day, "10:00", "12:30"))
    assert response.status_code == 400
    assert "Mikrowolontariat trwa najwyżej 2 godziny." in response.text
    # htmx: the whole page goes back to the offer (not swapped into the form).
    response = client.hx_post(_edit_url(organisation, shift), data=_times(day, "10:00", "12:00"))
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(f"/oferty/{shift.opportunity_id}")
    db.session.refresh(shift)
    assert shift.duration_hours == 2


def test_another_organisation_cannot_move_a_shift(
    client, auth, make_opportunity, make_shift, make_organisation, make_user, volunteer, outbox
):
    shift = make_shift(make_opportunity())
    organisation = shift.opportunity.organisation
    service.sign_up(shift.id, user=volunteer, birth_year=1990)
    mails_before = len(outbox())
    stranger = make_user()
    other = make_organisation(owner=stranger)
    data = _times(local_today() + timedelta(days=9), "10:00", "12:00")

    auth.login(stranger)
    assert client.get(_edit_url(organisation, shift)).status_code == 403
    assert client.post(_edit_url(organisation, shift), data=data).status_code == 403
    # Through its own organisation's URL the other organisation's shift does not exist.
    assert client.get(_edit_url(other, shift)).status_code == 404
    assert client.post(_edit_url(other, shift), data=data).status_code == 404
    # Nor may a volunteer.
    auth.login(volunteer)
    assert client.post(_edit_url(organisation, shift), data=data).status_code == 403

    db.session.refresh(shift)
    assert shift.sequence == 0
    assert len(outbox()) == mails_before


def test_cancelled_shift_cannot_be_moved(
    client, auth, make_opportunity, make_shift, organisation, ngo_owner
):
    shift = make_shift(make_opportunity())
    service.cancel_shift(shift.id, actor=ngo_owner)
    auth.login(ngo_owner)
    page = client.get(_edit_url(organisation, shift))
    assert page.status_code == 200 and "nie można go przenieść" in page.text
    assert "<form" not in page.text.split('id="shift-form"')[1]
    data = _times(local_today() + timedelta(days=9), "10:00", "12:00")
    assert client.post(_edit_url(organisation, shift), data=data).status_code == 409
    db.session.refresh(shift)
    assert shift.sequence == 1  # from the cancellation only


def test_moving_across_the_october_change_keeps_the_wall_clock_time(
    client, auth, make_opportunity, make_shift, organisation, ngo_owner
):
    change = _next_clock_change(10)
    saturday = change - timedelta(days=1)
    tuesday = change + timedelta(days=2)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(saturday, time(10, 0)))
    assert shift.starts_at.utcoffset() == timedelta(0)
    summer_utc_hour = shift.starts_at.hour
    auth.login(ngo_owner)
    response = client.post(_edit_url(organisation, shift), data=_times(tuesday, "10:00", "12:00"))
    assert response.status_code == 303
    db.session.refresh(shift)
    assert to_local(shift.starts_at).date() == tuesday
    assert f"{to_local(shift.starts_at):%H:%M}" == "10:00"
    assert f"{to_local(shift.ends_at):%H:%M}" == "12:00"
    # Same wall-clock time, one hour later in UTC (CEST is UTC+2, CET is UTC+1).
    assert shift.starts_at.hour == summer_utc_hour + 1
    assert shift.local_weekday == 1 and shift.local_daypart == "morning"
    assert 'value="10:00"' in client.get(_edit_url(organisation, shift)).text


def test_a_start_in_the_missing_spring_hour_cannot_end_before_it_starts(
    client, auth, make_opportunity, make_shift, organisation, ngo_owner
):
    """02:30 does not exist on the March change (clocks jump to 03:00): it becomes 03:30, after
    the 03:15 end. A clear error, not the database's CHECK failing."""
    change = _next_clock_change(3)
    shift = make_shift(make_opportunity())
    auth.login(ngo_owner)
    response = client.post(_edit_url(organisation, shift), data=_times(change, "02:30", "03:15"))
    assert response.status_code == 400
    assert "Koniec musi być po początku." in response.text
    db.session.refresh(shift)
    assert shift.sequence == 0


def test_reminder_comes_again_for_the_new_time(
    make_opportunity, make_shift, volunteer, ngo_owner, outbox
):
    tomorrow = local_today() + timedelta(days=1)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(tomorrow, time(10, 0)))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()  # the job runs in its own transactions
    assert service.send_reminders() == 1
    assert service.confirm_coming(signup.id)
    db.session.commit()
    assert service.send_reminders() == 0

    # Later the same day tomorrow: reminded again at once, with the new time.
    service.move_shift(
        shift.id,
        local_to_utc(tomorrow, time(16, 0)),
        local_to_utc(tomorrow, time(18, 0)),
        actor=ngo_owner,
    )
    db.session.commit()
    signup = db.session.get(Signup, signup.id)
    assert signup.reminded_at is None and signup.coming_confirmed_at is None
    assert service.send_reminders() == 1
    assert service.send_reminders() == 0
    reminders = [m for m in outbox() if m.subject.startswith("Przypomnienie")]
    assert len(reminders) == 2
    assert "16:00" in reminders[-1].body
    assert len({m.topic for m in reminders}) == 2

    # Moved to next week: nothing tomorrow, a reminder the day before the new date.
    next_week = tomorrow + timedelta(days=7)
    service.move_shift(
        shift.id,
        local_to_utc(next_week, time(16, 0)),
        local_to_utc(next_week, time(18, 0)),
        actor=ngo_owner,
    )
    db.session.commit()
    assert service.send_reminders() == 0
    day_before = local_to_utc(next_week - timedelta(days=1), time(9, 0))
    assert service.send_reminders(now=day_before) == 1
    assert service.send_reminders(now=day_before) == 0
