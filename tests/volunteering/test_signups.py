"""Sign-ups, the waitlist and its automatic promotion, age rules, answers (service level and
through the app)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.volunteering import service
from app.volunteering.agreements.models import Agreement
from app.volunteering.models import OpportunityKind, Shift, Signup, SignupStatus

ADULT = 1990


def test_sign_up_holds_a_place_and_records_history(shift, volunteer, outbox):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT, message="Chętnie!")
    db.session.refresh(shift)
    assert signup.status == SignupStatus.PENDING
    assert shift.taken == 1
    event = signup.events[0]
    assert (event.from_status, event.to_status, event.actor_id) == (
        None,
        SignupStatus.PENDING,
        volunteer.id,
    )
    recipients = [m.recipient for m in outbox()]
    assert volunteer.email in recipients  # confirmation
    assert "wlasciciel@example.org" in recipients  # notice to the organisation


def test_full_shift_waitlists_and_cancellation_promotes_at_once(shift, make_user, outbox):
    people = [make_user() for _ in range(4)]
    signups = [service.sign_up(shift.id, user=p, birth_year=ADULT) for p in people]
    assert [s.status for s in signups] == [
        SignupStatus.PENDING,
        SignupStatus.PENDING,
        SignupStatus.WAITLISTED,
        SignupStatus.WAITLISTED,
    ]
    assert [s.waitlist_position for s in signups[2:]] == [1, 2]
    # A late cancellation (the shift starts in 3 hours) frees the place to the waitlist at once.
    db.session.execute(
        sa.update(Shift)
        .where(Shift.id == shift.id)
        .values(starts_at=utcnow() + timedelta(hours=3), ends_at=utcnow() + timedelta(hours=5))
    )
    db.session.commit()
    service.cancel(signups[0].id, actor=people[0])
    for s in signups:
        db.session.refresh(s)
    db.session.refresh(shift)
    assert signups[0].status == SignupStatus.CANCELLED
    assert signups[0].events[-1].reason == "late cancellation"
    assert signups[2].status == SignupStatus.PENDING
    assert signups[2].waitlist_position is None
    assert signups[2].events[-1].reason == "promoted from the waitlist"
    assert signups[3].status == SignupStatus.WAITLISTED
    assert shift.taken == 2
    assert any(
        m.recipient == people[2].email and "Zwolniło się miejsce" in m.subject for m in outbox()
    )


def test_declining_frees_the_place_and_waitlisted_cancel_keeps_count(shift, make_user, ngo_owner):
    a, b, c = (make_user() for _ in range(3))
    sa_, sb, sc = (service.sign_up(shift.id, user=u, birth_year=ADULT) for u in (a, b, c))
    service.decide(sa_.id, accept=False, message="Mamy już komplet.", actor=ngo_owner)
    db.session.refresh(sc)
    db.session.refresh(shift)
    assert sc.status == SignupStatus.PENDING and shift.taken == 2
    service.cancel(sb.id, actor=b)
    db.session.refresh(shift)
    assert shift.taken == 1  # nobody was waiting: the place is released


def test_cannot_sign_up_twice(shift, volunteer):
    service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    with pytest.raises(DomainError):
        service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    assert db.session.scalar(sa.select(Shift.taken).where(Shift.id == shift.id)) == 1


def test_sign_up_again_after_cancelling(shift, volunteer):
    first = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    service.cancel(first.id, actor=volunteer)
    again = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    assert again.id == first.id and again.status == SignupStatus.PENDING
    assert [e.to_status for e in again.events] == [
        SignupStatus.PENDING,
        SignupStatus.CANCELLED,
        SignupStatus.PENDING,
    ]


def test_signing_up_again_forgets_the_previous_answer(shift, volunteer, ngo_owner):
    """Found by the browser flow: after accept, withdraw and a new application, "Moje
    zgłoszenia" showed the old "see you!" next to "czeka na odpowiedź"."""
    first = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    service.decide(first.id, accept=True, message="Do zobaczenia!", actor=ngo_owner)
    service.cancel(first.id, actor=volunteer)
    again = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    assert again.id == first.id and again.status == SignupStatus.PENDING
    assert again.response_message == ""
    assert again.responded_at is None


def test_more_capacity_promotes_the_waitlist(shift, make_user, ngo_owner):
    signups = [service.sign_up(shift.id, user=make_user(), birth_year=ADULT) for _ in range(4)]
    service.change_capacity(shift.id, 3, actor=ngo_owner)
    states = [db.session.get(Signup, s.id).status for s in signups]
    assert states.count(SignupStatus.WAITLISTED) == 1
    with pytest.raises(DomainError):
        service.change_capacity(shift.id, 1, actor=ngo_owner)


def test_capacity_check_constraint_refuses_overfilling(shift):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Shift).where(Shift.id == shift.id).values(taken=3))
        db.session.flush()
    db.session.rollback()


def test_micro_volunteering_accepts_at_once(make_opportunity, make_shift, volunteer):
    micro = make_opportunity(kind=OpportunityKind.MICRO, requires_approval=False)
    shift = make_shift(micro, hours=1)
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    assert signup.status == SignupStatus.ACCEPTED


# --- ages --------------------------------------------------------------------------------


def test_minor_needs_guardian_consent(shift, volunteer):
    year = utcnow().year
    with pytest.raises(DomainError) as refused:
        service.sign_up(shift.id, user=volunteer, birth_year=year - 15)
    assert "zgody rodzica" in refused.value.message
    signup = service.sign_up(
        shift.id,
        user=volunteer,
        birth_year=year - 15,
        guardian=service.Guardian("Maria Kowalska", "600 100 200"),
    )
    assert signup.guardian_consent_at is None  # waits for the paper form (a phone number)
    assert signup.guardian_name == "Maria Kowalska"


def test_under_minimum_age_is_refused(make_opportunity, make_shift, volunteer):
    shift = make_shift(make_opportunity(min_age=16))
    year = utcnow().year
    guardian = service.Guardian("Maria Kowalska", "600 100 200")
    with pytest.raises(DomainError) as refused:
        service.sign_up(shift.id, user=volunteer, birth_year=year - 14, guardian=guardian)
    assert "co najmniej 16 lat" in refused.value.message
    with pytest.raises(DomainError):  # under 13: never alone on the platform
        service.sign_up(shift.id, user=volunteer, birth_year=year - 10, guardian=guardian)
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0


# --- through the app -------------------------------------------------------------------------


def test_sign_up_page_flow(client, auth, shift, volunteer):
    auth.login(volunteer)
    page = client.get(f"/wolontariat/terminy/{shift.id}/zapis")
    assert page.status_code == 200 and "Rok urodzenia" in page.text
    response = client.post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Signup.status)) == SignupStatus.PENDING


def test_minor_without_consent_gets_clear_message_and_form_back(client, auth, shift, volunteer):
    auth.login(volunteer)
    year = utcnow().year
    response = client.post(
        f"/wolontariat/terminy/{shift.id}/zapis",
        data={"birth_year": str(year - 15), "message": "Chcę pomóc"},
    )
    assert response.status_code == 422
    assert "zgody rodzica lub opiekuna" in response.text
    assert "Chcę pomóc" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0


def test_too_young_refused_via_htmx(client, auth, make_opportunity, make_shift, volunteer):
    shift = make_shift(make_opportunity(min_age=18))
    auth.login(volunteer)
    response = client.hx_post(
        f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": str(utcnow().year - 16)}
    )
    assert response.status_code == 422
    assert "co najmniej 18 lat" in response.text
    assert "<html" not in response.text


def test_sign_up_requires_login_except_micro(client, shift, make_opportunity, make_shift, outbox):
    response = client.get(f"/wolontariat/terminy/{shift.id}/zapis")
    assert response.status_code == 302 and "/konto/logowanie" in response.headers["Location"]
    micro = make_shift(make_opportunity(kind=OpportunityKind.MICRO), hours=1)
    page = client.get(f"/wolontariat/terminy/{micro.id}/zapis")
    assert page.status_code == 200 and "Adres e-mail" in page.text
    bad = client.post(f"/wolontariat/terminy/{micro.id}/zapis", data={"name": "Ewa"})
    assert bad.status_code == 400 and "Ewa" in bad.text
    assert "Porozumienie, które zawierasz, zapisując się" in page.text
    assert "§ 8. Rozwiązanie porozumienia" in page.text
    data = {"name": "Ewa Gość", "email": "Ewa@Example.org", "adult": "y"}
    unagreed = client.post(f"/wolontariat/terminy/{micro.id}/zapis", data=data)
    assert unagreed.status_code == 400 and "zaznacz, że je zawierasz" in unagreed.text
    ok = client.post(f"/wolontariat/terminy/{micro.id}/zapis", data={**data, "agreement": "y"})
    assert ok.status_code == 303
    signup = db.session.scalar(sa.select(Signup))
    assert signup.guest_email == "ewa@example.org" and signup.user_id is None
    # A guest concludes an agreement too (art. 44 ust. 1), accepted with the sign-up.
    agreement = db.session.scalar(sa.select(Agreement))
    assert agreement.guest_signup_id == signup.id and agreement.user_id is None
    assert agreement.volunteer_name == "Ewa Gość" and agreement.volunteer_accepted_at is not None
    assert not agreement.written_required and agreement.sections["scope"]
    # The confirmation carries a signed cancel link that works without an account.
    mail = next(m for m in outbox() if m.recipient == "ewa@example.org")
    link = next(line for line in mail.body.splitlines() if "/rezygnacja/" in line)
    path = link[link.index("/wolontariat") :].strip()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 303
    db.session.refresh(signup)
    assert signup.status == SignupStatus.CANCELLED
    assert client.get("/wolontariat/rezygnacja/forged-token").status_code == 404


def test_cancel_own_signup_only(client, auth, shift, volunteer, make_user):
    other = make_user()
    theirs = service.sign_up(shift.id, user=other, birth_year=ADULT)
    auth.login(volunteer)
    response = client.post(f"/wolontariat/zgloszenia/{theirs.id}/rezygnacja")
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == SignupStatus.PENDING
    mine = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    assert client.post(f"/wolontariat/zgloszenia/{mine.id}/rezygnacja").status_code == 303
    db.session.refresh(mine)
    assert mine.status == SignupStatus.CANCELLED


def test_signup_without_csrf_is_refused(client, auth, shift, volunteer):
    auth.login(volunteer)
    response = client.post(
        f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"}, csrf=False
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0


def test_htmx_sign_up_success_redirects_the_whole_page(client, auth, shift, volunteer):
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/wolontariat/oferty/{shift.opportunity_id}"
    page = client.get(response.headers["HX-Redirect"]).text
    assert "Zgłoszenie wysłane" in page and "czeka na odpowiedź" in page


def test_members_find_their_organisation_dashboard(client, auth, organisation, ngo_owner):
    auth.login(ngo_owner)
    page = client.get("/wolontariat/").text
    assert f"/wolontariat/organizacja/{organisation.slug}/" in page
