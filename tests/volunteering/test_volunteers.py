"""The volunteer's own pages: profile, suggestions, history, certificate, reminders with the
one-click "I'm coming" link, calendar feed, digest, RODO export and deletion."""

from __future__ import annotations

import json
from datetime import time, timedelta
from decimal import Decimal

import icalendar
import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering import service
from app.volunteering.models import Signup, SignupStatus, VolunteerProfile


def test_profile_form_saves_and_shows_errors(client, auth, volunteer):
    auth.login(volunteer)
    assert client.get("/wolontariat/profil").status_code == 200
    bad = client.post("/wolontariat/profil", data={"birth_year": "1800", "skills": "gotowanie"})
    assert bad.status_code == 400 and "gotowanie" in bad.text
    response = client.post(
        "/wolontariat/profil",
        data={
            "birth_year": "1958",
            "interests": ["seniors", "culture"],
            "availability": ["5-morning", "2-evening"],
            "district": "rubinkowo",
            "skills": "gotowanie, prawo jazdy",
            "digest_opt_in": "y",
        },
    )
    assert response.status_code == 303
    profile = db.session.scalar(sa.select(VolunteerProfile))
    assert profile.interests == ["seniors", "culture"]
    assert profile.availability == ["5-morning", "2-evening"]
    assert profile.district == "rubinkowo" and profile.digest_opt_in


def test_history_certificate_and_own_pages_only(
    client, auth, make_opportunity, make_shift, volunteer, make_user, organisation, ngo_owner
):
    shift = make_shift(make_opportunity("Kwesta na Starówce"), hours=4)
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    auth.login(volunteer)
    page = client.get("/wolontariat/moje").text
    assert "Kwesta na Starówce" in page and "Potwierdzone godziny: 4<" in page
    certificate = client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}")
    assert certificate.status_code == 200
    assert (
        "Ola Wolontariuszka" in certificate.text and "łącznym wymiarze 4 godz." in certificate.text
    )
    assert "Na podstawie art. 44 ustawy" in certificate.text
    # Another volunteer has no certificate from this organisation and cannot see Ola's.
    auth.login(make_user())
    assert client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}").status_code == 404
    assert "Kwesta na Starówce" not in client.get("/wolontariat/moje").text


def test_reminder_day_before_is_idempotent_and_coming_link_works(
    client, make_opportunity, make_shift, volunteer, outbox, app
):
    tomorrow = local_today() + timedelta(days=1)
    shift = make_shift(make_opportunity(), starts_at=local_to_utc(tomorrow, time(10, 0)))
    later = make_shift(make_opportunity(), starts_in=timedelta(days=5))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.sign_up(later.id, user=volunteer, birth_year=1990)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Shift reminders: 1" in result.output
    assert "Shift reminders: 0" in runner.invoke(args=["send-reminders"]).output
    reminders = [m for m in outbox() if m.subject.startswith("Przypomnienie")]
    assert len(reminders) == 1
    link = next(line for line in reminders[0].body.splitlines() if "/przyjde/" in line)
    response = client.get(link[link.index("/wolontariat") :].strip())
    assert response.status_code == 200 and "Dziękujemy" in response.text
    db.session.refresh(signup)
    assert signup.coming_confirmed_at is not None
    assert client.get("/wolontariat/przyjde/forged").status_code == 404


def test_private_ical_feed_of_own_shifts(
    client, auth, make_opportunity, make_shift, volunteer, make_user
):
    shift = make_shift(make_opportunity("Dyżur w schronisku"))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.sign_up(shift.id, user=make_user(), birth_year=1990)
    auth.login(volunteer)
    page = client.get("/wolontariat/moje").text
    feed_url = page.split("/wolontariat/kalendarz/")[1].split('"')[0]
    body = client.get(f"/wolontariat/kalendarz/{feed_url}").data
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1  # only own shifts
    assert events[0]["SUMMARY"].startswith("Dyżur w schronisku")
    assert events[0]["STATUS"] == "TENTATIVE"
    uid = str(events[0]["UID"])
    service.cancel(signup.id, actor=volunteer)
    events = icalendar.Calendar.from_ical(
        client.get(f"/wolontariat/kalendarz/{feed_url}").data
    ).walk("VEVENT")
    assert str(events[0]["UID"]) == uid and events[0]["STATUS"] == "CANCELLED"
    assert events[0]["SEQUENCE"] >= 1
    assert client.get("/wolontariat/kalendarz/not-a-token.ics").status_code == 404


def test_export_and_delete_own_data(
    client, auth, make_opportunity, make_shift, volunteer, make_user, make_volunteer_profile
):
    make_volunteer_profile(volunteer, skills="gotowanie")
    shift = make_shift(make_opportunity(), capacity=1)
    mine = service.sign_up(shift.id, user=volunteer, birth_year=1990, message="Będę!")
    waiting = service.sign_up(shift.id, user=make_user(), birth_year=1990)
    auth.login(volunteer)
    exported = client.get("/wolontariat/moje-dane.json")
    data = json.loads(exported.data)
    assert data["profile"]["skills"] == "gotowanie"
    assert data["signups"][0]["message"] == "Będę!"
    assert client.get("/wolontariat/moje-dane/usun").status_code == 200
    assert client.post("/wolontariat/moje-dane/usun").status_code == 303
    db.session.expire_all()
    mine = db.session.get(Signup, mine.id)
    assert mine.user_id is None and mine.message == "" and mine.anonymised_at is not None
    assert mine.status == SignupStatus.CANCELLED
    assert db.session.get(Signup, waiting.id).status == SignupStatus.PENDING  # got the place
    assert (
        db.session.scalar(
            sa.select(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id)
        )
        is None
    )
    assert json.loads(client.get("/wolontariat/moje-dane.json").data)["signups"] == []


def test_weekly_digest_is_opt_in_and_idempotent(
    app, make_opportunity, make_shift, make_user, make_volunteer_profile, outbox
):
    keen = make_user()
    quiet = make_user()
    make_volunteer_profile(keen, interests=["ecology_animals"], digest_opt_in=True)
    make_volunteer_profile(quiet, interests=["ecology_animals"], digest_opt_in=False)
    make_shift(make_opportunity("Sprzątanie lasu na Barbarce", sphere="ecology_animals"))
    runner = app.test_cli_runner()
    assert "Digests sent: 1" in runner.invoke(args=["send-digest"]).output
    assert "Digests sent: 0" in runner.invoke(args=["send-digest"]).output
    digests = [m for m in outbox() if "Nowe oferty" in m.subject]
    assert [m.recipient for m in digests] == [keen.email]
    assert "Sprzątanie lasu na Barbarce" in digests[0].body and "pasuje:" in digests[0].body
    assert service.send_digests(now=utcnow() + timedelta(days=7, hours=1)) == 0  # nothing new


def test_suggestions_page_shows_reasons(
    client, auth, make_opportunity, make_shift, volunteer, make_volunteer_profile
):
    make_volunteer_profile(volunteer, interests=["seniors"], district="rubinkowo")
    make_shift(make_opportunity("Czytanie seniorom", sphere="seniors", district="rubinkowo"))
    make_shift(make_opportunity("Coś zupełnie innego", sphere="sport", district="bielany"))
    auth.login(volunteer)
    page = client.get("/wolontariat/dla-ciebie").text
    assert "Czytanie seniorom" in page and "seniorzy, Rubinkowo" in page
    assert "Coś zupełnie innego" not in page


def test_hours_of_a_shift_across_dst(make_opportunity, make_shift):
    """A night shift across the autumn change lasts an hour longer than the wall clock says."""
    from datetime import date

    start = local_to_utc(date(2026, 10, 24), time(22, 0))
    end = local_to_utc(date(2026, 10, 25), time(6, 0))
    shift = make_shift(make_opportunity(), starts_at=start, hours=1)
    shift.ends_at = end
    db.session.commit()
    assert shift.duration_hours == Decimal("9.00")
    assert to_local(shift.starts_at).hour == 22 and shift.local_daypart == "evening"
    assert shift.local_weekday == 5


def test_account_deletion_frees_places_and_keeps_anonymous_hours(
    client, auth, make_opportunity, make_shift, volunteer, make_user, ngo_owner, organisation
):
    from app.accounts.privacy import delete_account, export_personal_data

    past = make_shift(make_opportunity("Dawny dyżur"), hours=2)
    done = service.sign_up(past.id, user=volunteer, birth_year=1990)
    service.decide(done.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(past.ends_at + timedelta(hours=1)):
        service.record_attendance(done.id, attended=True, hours=None, actor=ngo_owner)
    upcoming = make_shift(
        make_opportunity("Przyszły dyżur"), capacity=1, starts_in=timedelta(days=10)
    )
    service.sign_up(upcoming.id, user=volunteer, birth_year=1990)
    waiting = service.sign_up(upcoming.id, user=make_user(), birth_year=1990)
    assert export_personal_data(volunteer)["volunteering"]["signups"]
    with freeze_time(past.ends_at + timedelta(hours=2)):
        delete_account(volunteer)
    db.session.expire_all()
    assert db.session.get(Signup, waiting.id).status == SignupStatus.PENDING
    day = to_local(past.starts_at).date()
    report = service.hours_report(organisation, day, day, Decimal("31.40"))
    assert report.total_hours == Decimal("2.00")
    anonymous = db.session.get(Signup, done.id)
    assert anonymous.user_id is None and anonymous.anonymised_at is not None
