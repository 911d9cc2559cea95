"""Defects found by trying the board as volunteers and organisations would (issue 10, items
3, 9–14): each test failed before its fix."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.volunteering import service
from app.volunteering.models import Signup, SignupStatus

ADULT = 1990


def _org(organisation) -> str:
    return f"/wolontariat/organizacja/{organisation.slug}"


def _accepted(shift, user, ngo_owner):
    signup = service.sign_up(shift.id, user=user, birth_year=ADULT)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    return signup


# --- item 9: hours are checked against the shift ---------------------------------------------


def test_hours_over_the_shifts_length_are_refused_on_the_form(
    client, auth, shift, volunteer, organisation, ngo_owner
):
    signup = _accepted(shift, volunteer, ngo_owner)  # a two-hour shift
    auth.login(ngo_owner)
    url = f"{_org(organisation)}/zgloszenia/{signup.id}/obecnosc"
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        page = client.post(url, data={"attended": "yes", "hours": "20"})
        fragment = client.hx_post(url, data={"attended": "yes", "hours": "2.5"})
    assert page.status_code == 422 and fragment.status_code == 422
    expected = "Termin trwał 2 godz.: nie można potwierdzić więcej."
    assert expected in page.text and expected in fragment.text
    db.session.expire_all()
    refused = db.session.get(Signup, signup.id)
    assert refused.hours is None and refused.hours_confirmed_at is None


def test_hours_over_the_shifts_length_are_refused_by_the_service(shift, volunteer, ngo_owner):
    signup = _accepted(shift, volunteer, ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        try:
            service.record_attendance(
                signup.id, attended=True, hours=Decimal("2.25"), actor=ngo_owner
            )
        except DomainError as refusal:
            assert refusal.field == "hours"
        else:
            raise AssertionError("20 hours on a 2-hour shift were accepted")
        db.session.rollback()
        confirmed = service.record_attendance(
            signup.id, attended=True, hours=Decimal("2"), actor=ngo_owner
        )
    assert confirmed.hours == Decimal("2")


# --- item 13: status and documents ---------------------------------------------------------


def test_a_no_show_reads_as_absent_not_accepted(
    client, auth, shift, volunteer, organisation, ngo_owner
):
    signup = _accepted(shift, volunteer, ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=False, hours=None, actor=ngo_owner)
        db.session.commit()
        auth.login(ngo_owner)
        applicants = client.get(f"{_org(organisation)}/oferty/{shift.opportunity_id}/zgloszenia")
        auth.login(volunteer)
        mine = client.get("/wolontariat/moje")
    for page in (applicants, mine):
        row = re.search(rf'<tr id="(my-)?signup-{signup.id}">(.*?)</tr>', page.text, re.DOTALL)
        assert "nieobecność" in row.group(2) and "przyjęte" not in row.group(2)


def test_certificate_in_polish_numbers_and_case(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, make_organisation
):
    organisation = make_organisation("Fundacja Pomocy", owner=ngo_owner)
    opportunity = make_opportunity(org=organisation)
    shifts = [make_shift(opportunity, hours=3, starts_in=timedelta(days=d)) for d in (1, 2)]
    signups = [_accepted(s, volunteer, ngo_owner) for s in shifts]
    with freeze_time(shifts[1].ends_at + timedelta(hours=1)):
        for signup, hours in zip(signups, ("1.5", "3"), strict=True):
            service.record_attendance(
                signup.id, attended=True, hours=Decimal(hours), actor=ngo_owner
            )
        db.session.commit()
        auth.login(volunteer)
        page = client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}")
    assert page.status_code == 200
    assert "na rzecz organizacji: Fundacja Pomocy" in page.text
    assert "4,5 godz." in page.text and "<td>4,5</td>" in page.text
    assert "4.50" not in page.text


def test_no_unanswered_reminder_is_counted_without_anyone_to_tell(
    app, make_opportunity, make_shift, make_user, make_organisation, outbox
):
    orphan = make_organisation()  # no member, and the offer names no contact address
    shift = make_shift(make_opportunity(org=orphan), starts_in=timedelta(days=10))
    signup = service.sign_up(shift.id, user=make_user(), birth_year=ADULT)
    db.session.commit()
    later = signup.pending_since + timedelta(days=3, hours=1)
    assert service.send_unanswered_reminders(now=later) == 0
    assert not [m for m in outbox() if "czekają na odpowiedź" in m.subject]
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).organisation_reminded_at is None


def test_a_member_who_applies_is_not_told_of_his_own_application(
    app, make_opportunity, make_shift, make_user, make_organisation, outbox
):
    applicant, colleague = make_user(), make_user()
    organisation = make_organisation(owner=applicant, editors=[colleague])
    shift = make_shift(make_opportunity(org=organisation), starts_in=timedelta(days=10))
    signup = service.sign_up(shift.id, user=applicant, birth_year=ADULT)
    db.session.commit()
    assert service.send_unanswered_reminders(now=signup.pending_since + timedelta(days=4)) == 1
    to_organisation = [m for m in outbox() if m.recipient in {applicant.email, colleague.email}]
    new = [m for m in to_organisation if "Nowe zgłoszenie" in m.subject]
    waiting = [m for m in to_organisation if "czekają na odpowiedź" in m.subject]
    assert [m.recipient for m in new] == [colleague.email]
    assert [m.recipient for m in waiting] == [colleague.email]


def test_a_member_cannot_answer_or_confirm_his_own_application(
    client, auth, make_opportunity, make_shift, make_user, make_organisation
):
    applicant, colleague = make_user(), make_user()
    organisation = make_organisation(owner=applicant, editors=[colleague])
    shift = make_shift(make_opportunity(org=organisation))
    signup = service.sign_up(shift.id, user=applicant, birth_year=ADULT)
    db.session.commit()
    auth.login(applicant)
    page = client.get(f"{_org(organisation)}/oferty/{shift.opportunity_id}/zgloszenia")
    assert f'action="{_org(organisation)}/zgloszenia/{signup.id}/decyzja"' not in page.text
    assert "To Twoje zgłoszenie" in page.text
    answer = client.post(
        f"{_org(organisation)}/zgloszenia/{signup.id}/decyzja", data={"decision": "accept"}
    )
    assert answer.status_code == 403
    assert "Nie możesz odpowiedzieć na własne zgłoszenie" in answer.text
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).status == SignupStatus.PENDING

    service.decide(signup.id, accept=True, message="", actor=colleague)
    db.session.commit()
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        auth.login(applicant)
        hours = client.hx_post(
            f"{_org(organisation)}/zgloszenia/{signup.id}/obecnosc", data={"attended": "yes"}
        )
    assert hours.status_code == 409  # htmx swaps 409, not 403
    assert "Nie możesz potwierdzić własnych godzin" in hours.text
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).hours_confirmed_at is None


# --- item 10: the minimum age is not one edit away ---------------------------------------------


def _teen(make_user, make_volunteer_profile):
    teen = make_user(name="Ola Młoda")
    make_volunteer_profile(teen, birth_year=utcnow().year - 16)
    return teen


def test_an_18_plus_offer_shows_a_16_year_old_why_not_instead_of_a_button(
    client, auth, make_opportunity, make_shift, make_user, make_volunteer_profile
):
    adult_only = make_opportunity("Nocny dyżur", min_age=18)
    shift = make_shift(adult_only)
    auth.login(_teen(make_user, make_volunteer_profile))
    page = client.get(f"/wolontariat/oferty/{adult_only.id}")
    assert f"/wolontariat/terminy/{shift.id}/zapis" not in page.text
    assert "Ta oferta jest dla osób, które mają co najmniej 18 lat." in page.text
    form = client.get(f"/wolontariat/terminy/{shift.id}/zapis")
    assert "Ta oferta jest dla osób, które mają co najmniej 18 lat." in form.text
    assert 'name="birth_year"' not in form.text


def test_the_sign_up_form_never_rewrites_the_profiles_birth_year(
    client, auth, make_opportunity, make_shift, make_user, make_volunteer_profile
):
    teen = _teen(make_user, make_volunteer_profile)
    shift = make_shift(make_opportunity("Nocny dyżur", min_age=18))
    auth.login(teen)
    response = client.post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "2000"})
    assert response.status_code == 422
    assert "Ta oferta jest dla osób, które mają co najmniej 18 lat." in response.text
    db.session.expire_all()
    assert service.existing_profile(teen).birth_year == utcnow().year - 16
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0
    try:
        service.sign_up(shift.id, user=teen, birth_year=2000)
    except DomainError as refusal:
        assert "profilu" in str(refusal)
    else:
        raise AssertionError("the service took another birth year than the profile's")


def test_a_birth_year_changed_in_the_profile_is_logged_and_shown_to_the_organisation(
    client,
    auth,
    make_opportunity,
    make_shift,
    make_user,
    make_volunteer_profile,
    organisation,
    ngo_owner,
):
    volunteer = make_user(name="Ola Zmieniona")
    make_volunteer_profile(volunteer, birth_year=1995)
    shift = make_shift(make_opportunity())
    signup = service.sign_up(shift.id, user=volunteer)
    db.session.commit()
    auth.login(volunteer)
    saved = client.post("/wolontariat/profil", data={"birth_year": "1990", "district": ""})
    assert saved.status_code == 303, saved.text
    db.session.expire_all()
    profile = service.existing_profile(volunteer)
    assert profile.birth_year == 1990 and profile.birth_year_changed_at is not None
    events = db.session.get(Signup, signup.id).events
    assert "birth year changed in the profile: 1995 → 1990" in events[-1].reason
    auth.login(ngo_owner)
    page = client.get(f"{_org(organisation)}/oferty/{shift.opportunity_id}/zgloszenia")
    assert "rok urodzenia zmieniony" in page.text


# --- item 11: the promotion e-mail and offers without shifts -----------------------------------


def _promotion_mail(make_opportunity, make_shift, make_user, outbox, *, requires_approval):
    shift = make_shift(make_opportunity(requires_approval=requires_approval), capacity=1)
    first = service.sign_up(shift.id, user=make_user(), birth_year=ADULT)
    waiting = make_user()
    service.sign_up(shift.id, user=waiting, birth_year=ADULT)
    service.cancel(first.id, actor=first.user)
    db.session.commit()
    [mail] = [m for m in outbox() if m.recipient == waiting.email and "Zwolniło" in m.subject]
    return mail.body


def test_a_promotion_awaiting_approval_does_not_say_the_place_is_yours(
    make_opportunity, make_shift, make_user, outbox
):
    body = _promotion_mail(make_opportunity, make_shift, make_user, outbox, requires_approval=True)
    assert "jest Twoje" not in body
    assert "Organizacja potwierdzi Twoje zgłoszenie e-mailem" in body


def test_a_promotion_without_approval_says_the_place_is_yours(
    make_opportunity, make_shift, make_user, outbox
):
    body = _promotion_mail(make_opportunity, make_shift, make_user, outbox, requires_approval=False)
    assert "jest Twoje" in body


def test_an_offer_without_shifts_is_not_suggested(make_opportunity, make_shift, volunteer):
    from app.volunteering import matching
    from app.volunteering.models import OpportunityKind, VolunteerProfile

    profile = VolunteerProfile(user=volunteer, interests=["culture"], availability=[])
    make_opportunity("Kiedy chcesz", sphere="culture", kind=OpportunityKind.FLEXIBLE)
    make_shift(make_opportunity("W sobotę", sphere="culture"))
    ranked = matching.suggestions_for(volunteer, profile)
    assert [m.opportunity.title for m in ranked] == ["W sobotę"]


# --- item 12: "Dla Ciebie" -------------------------------------------------------------------------


def test_a_reason_is_shown_once(make_opportunity, make_shift):
    from app.volunteering import matching
    from app.volunteering.models import VolunteerProfile

    opportunity = make_opportunity(sphere="seniors", tags=["seniors"], is_online=True)
    make_shift(opportunity)
    profile = VolunteerProfile(birth_year=1950, interests=["seniors"], availability=[])
    match = matching.score(opportunity, profile)
    assert match.reasons == ["seniorzy", "zdalnie"]


def test_a_regular_is_nudged_to_the_next_session(make_opportunity, make_shift, volunteer):
    from app.volunteering import matching
    from app.volunteering.models import OpportunityKind, VolunteerProfile

    profile = VolunteerProfile(user=volunteer, interests=["culture"], availability=[])
    weekly = make_opportunity("Co tydzień", sphere="culture", kind=OpportunityKind.REGULAR)
    this_week, next_week = (make_shift(weekly, starts_in=timedelta(days=d)) for d in (2, 9))
    past = make_opportunity("Raz", sphere="culture")
    only = make_shift(past, starts_in=timedelta(days=3))
    for shift in (this_week, only):
        service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    db.session.commit()
    ranked = matching.suggestions_for(volunteer, profile)
    assert [m.opportunity.title for m in ranked] == ["Co tydzień"]
    assert ranked[0].next_start == next_week.starts_at

    service.cancel(only.signups[0].id, actor=volunteer)  # withdrawn: suggested again
    db.session.commit()
    ranked = matching.suggestions_for(volunteer, profile)
    assert sorted(m.opportunity.title for m in ranked) == ["Co tydzień", "Raz"]


# --- item 3: destructive actions are confirmed first, without JavaScript -----------------------


def test_withdrawing_asks_first_on_a_page_of_its_own(client, auth, shift, volunteer):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    db.session.commit()
    auth.login(volunteer)
    url = f"/wolontariat/zgloszenia/{signup.id}/rezygnacja"
    mine = client.get("/wolontariat/moje")
    assert f'href="{url}"' in mine.text and f'action="{url}"' not in mine.text
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert f'action="{url}"' in confirm.text and 'name="csrf_token"' in confirm.text
    assert "Czy na pewno chcesz zrezygnować" in confirm.text
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).status == SignupStatus.PENDING
    done = client.post(url)
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).status == SignupStatus.CANCELLED


def test_cancelling_a_shift_asks_for_a_reason_sent_to_the_volunteers(
    client, auth, shift, make_user, organisation, ngo_owner, outbox
):
    people = [make_user() for _ in range(2)]
    for person in people:
        service.sign_up(shift.id, user=person, birth_year=ADULT)
    db.session.commit()
    auth.login(ngo_owner)
    url = f"{_org(organisation)}/terminy/{shift.id}/odwolaj"
    page = client.get(f"{_org(organisation)}/oferty/{shift.opportunity_id}")
    assert f'href="{url}"' in page.text and f'action="{url}"' not in page.text
    confirm = client.get(url)
    assert confirm.status_code == 200 and f'action="{url}"' in confirm.text
    assert "2 osoby dostaną e-mail" in confirm.text and 'name="reason"' in confirm.text
    missing = client.post(url, data={"reason": "  "})
    assert missing.status_code == 400 and "Napisz, dlaczego termin jest odwołany" in missing.text
    db.session.expire_all()
    assert db.session.get(type(shift), shift.id).cancelled_at is None
    done = client.post(url, data={"reason": "Burza – park zamknięty."})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(shift), shift.id).cancelled_at is not None
    mails = [m for m in outbox() if "Termin odwołany" in m.subject]
    assert len(mails) == 2 and all("Burza – park zamknięty." in m.body for m in mails)


def test_cancelling_an_empty_shift_needs_no_reason(client, auth, shift, organisation, ngo_owner):
    auth.login(ngo_owner)
    url = f"{_org(organisation)}/terminy/{shift.id}/odwolaj"
    assert "Nikt nie jest zapisany" in client.get(url).text
    assert client.post(url, data={"reason": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(type(shift), shift.id).cancelled_at is not None


# --- item 14: the hours report per volunteer, as CSV and for print; bad parameters said ---------


def _confirmed_hours(make_opportunity, make_shift, make_user, ngo_owner):
    opportunity = make_opportunity("Jadłodzielnia")
    shifts = [make_shift(opportunity, hours=3, starts_in=timedelta(days=d)) for d in (1, 2)]
    anna, jan = make_user(name="Anna Nowak"), make_user(name="Jan Kowal")
    for shift, person, hours in (
        (shifts[0], anna, "1.5"),
        (shifts[1], anna, "3"),
        (shifts[1], jan, "2"),
    ):
        signup = _accepted(shift, person, ngo_owner)
        with freeze_time(shift.ends_at + timedelta(hours=1)):
            service.record_attendance(
                signup.id, attended=True, hours=Decimal(hours), actor=ngo_owner
            )
    db.session.commit()
    return shifts


def _period(shifts) -> str:
    from app.timeutil import to_local

    first = to_local(shifts[0].starts_at).date()
    return f"start={first - timedelta(days=1)}&end={first + timedelta(days=5)}&rate=40"


def test_hours_report_lists_each_volunteer_with_csv_and_print(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner
):
    shifts = _confirmed_hours(make_opportunity, make_shift, make_user, ngo_owner)
    auth.login(ngo_owner)
    with freeze_time(shifts[1].ends_at + timedelta(days=1)):
        page = client.get(f"{_org(organisation)}/godziny?{_period(shifts)}")
        csv_file = client.get(f"{_org(organisation)}/godziny.csv?{_period(shifts)}")
        printed = client.get(f"{_org(organisation)}/godziny/druk?{_period(shifts)}")
    assert page.status_code == 200
    anna = re.search(r"<tr[^>]*>\s*<td>Anna Nowak</td>(.*?)</tr>", page.text, re.DOTALL)
    assert anna and "4,5" in anna.group(1) and "180,00" in anna.group(1)
    assert "Jan Kowal" in page.text and "godziny.csv" in page.text and "godziny/druk" in page.text
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    rows = [line.split(";") for line in csv_file.text.lstrip("\ufeff").splitlines()]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Anna Nowak"][2:] == ["4,5", "180,00"] and by_name["Jan Kowal"][2:] == [
        "2",
        "80,00",
    ]
    assert printed.status_code == 200 and "Anna Nowak" in printed.text
    assert "<form" not in printed.text.split("<main", 1)[1]


def test_hours_report_says_what_is_wrong_with_its_parameters(client, auth, organisation, ngo_owner):
    auth.login(ngo_owner)
    bad_rate = client.get(f"{_org(organisation)}/godziny?start=2026-01-01&end=2026-03-01&rate=abc")
    assert bad_rate.status_code == 400
    assert "Podaj stawkę jako liczbę, np. 31,40." in bad_rate.text
    assert 'value="abc"' in bad_rate.text and 'value="2026-03-01"' in bad_rate.text
    backwards = client.get(f"{_org(organisation)}/godziny?start=2026-03-01&end=2026-01-01&rate=40")
    assert backwards.status_code == 400
    assert "Koniec okresu musi być po jego początku." in backwards.text
    assert 'value="2026-03-01"' in backwards.text
    comma = client.get(f"{_org(organisation)}/godziny?start=2026-01-01&end=2026-03-01&rate=31,40")
    assert comma.status_code == 200 and "31,40 zł/godz." in comma.text
    assert client.get(f"{_org(organisation)}/godziny.csv?rate=abc").status_code == 400
