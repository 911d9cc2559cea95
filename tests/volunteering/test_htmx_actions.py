"""Every htmx action of the board answers in the same response: on success the changed part of
the page with the message in the message region (out of band); on a refusal a status htmx
swaps (409/422), the precise reason, and nothing changed. Plus the offer whose title had a
line break, which once made every sign-up to it fail."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from app.extensions import db
from app.mail import OutboxMessage
from app.volunteering import service
from app.volunteering.models import Shift, Signup, SignupEvent, SignupStatus

ADULT = 1990
FLASH_REGION = re.compile(
    r'<div id="flash-messages"[^>]*hx-swap-oob="[^"]+"[^>]*>(.*?)</div>', re.DOTALL
)


def message_region(response) -> str:
    """The text of the out-of-band message region of an htmx response."""
    match = FLASH_REGION.search(response.text)
    assert match, f"no out-of-band message region in {response.text[:300]!r}"
    return match.group(1)


def _events(signup_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(SignupEvent.id)).where(SignupEvent.signup_id == signup_id)
    )


def _org(organisation) -> str:
    return f"/wolontariat/organizacja/{organisation.slug}"


# --- a volunteer signs up ----------------------------------------------------------------------


def test_title_with_a_line_break_still_takes_sign_ups(
    client, auth, make_opportunity, make_shift, volunteer
):
    shift = make_shift(make_opportunity("Pomoc w jadłodzielni\nna Rubinkowie"))
    auth.login(volunteer)
    response = client.post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Signup.status)) == SignupStatus.PENDING
    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == volunteer.email)
    )
    assert mail.subject == "Zgłoszenie na wolontariat: Pomoc w jadłodzielni na Rubinkowie"
    assert "\n" not in mail.subject and "\r" not in mail.subject


def test_htmx_sign_up_goes_to_the_offer_with_its_message(client, auth, shift, volunteer):
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 200
    target = response.headers["HX-Redirect"]
    assert target == f"/wolontariat/oferty/{shift.opportunity_id}"
    assert "Zgłoszenie wysłane. Organizacja odpowie e-mailem." in client.get(target).text


def test_htmx_sign_up_twice_is_refused_with_the_reason(client, auth, shift, volunteer):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 409
    assert "Jesteś już zapisana/zapisany na ten termin." in response.text
    # The form again, the known birth year shown, not asked (a sign-up never changes it).
    assert "<html" not in response.text and 'name="message"' in response.text
    assert 'name="birth_year"' not in response.text and "Rok urodzenia: 1990." in response.text
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).taken == 1
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 1
    assert _events(signup.id) == 1


def test_htmx_sign_up_to_a_cancelled_shift_is_refused(client, auth, shift, volunteer, ngo_owner):
    service.cancel_shift(shift.id, actor=ngo_owner)
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/terminy/{shift.id}/zapis", data={"birth_year": "1990"})
    assert response.status_code == 409
    assert "Ten termin już minął albo został odwołany." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0


# --- the volunteer withdraws ---------------------------------------------------------------------


def test_htmx_withdraw_swaps_the_history_with_the_message(client, auth, shift, volunteer):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/zgloszenia/{signup.id}/rezygnacja")
    assert response.status_code == 200
    assert 'id="my-signups"' in response.text and "<html" not in response.text
    assert "Zrezygnowano. Dziękujemy za informację" in message_region(response)
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).status == SignupStatus.CANCELLED
    assert db.session.get(Shift, shift.id).taken == 0


def test_htmx_withdraw_of_an_inactive_sign_up_is_refused(client, auth, shift, volunteer):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    service.cancel(signup.id, actor=volunteer)
    events = _events(signup.id)
    auth.login(volunteer)
    response = client.hx_post(f"/wolontariat/zgloszenia/{signup.id}/rezygnacja")
    assert response.status_code == 409
    assert response.headers["HX-Reswap"] == "none"
    assert "To zgłoszenie nie jest już aktywne." in message_region(response)
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).status == SignupStatus.CANCELLED
    assert _events(signup.id) == events


def test_withdraw_without_javascript_goes_back_to_the_list(client, auth, shift, volunteer):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    auth.login(volunteer)
    response = client.post(f"/wolontariat/zgloszenia/{signup.id}/rezygnacja")
    assert response.status_code == 303
    assert response.headers["Location"] == "/wolontariat/moje"
    assert "Zrezygnowano." in client.get("/wolontariat/moje").text


# --- the organisation answers ----------------------------------------------------------------


def test_htmx_decline_swaps_the_shift_with_the_promoted_applicant(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner
):
    shift = make_shift(make_opportunity(), capacity=1)
    first = service.sign_up(shift.id, user=make_user(name="Ewa Pierwsza"), birth_year=ADULT)
    second = service.sign_up(shift.id, user=make_user(name="Jan Drugi"), birth_year=ADULT)
    auth.login(ngo_owner)
    response = client.hx_post(
        f"{_org(organisation)}/zgloszenia/{first.id}/decyzja",
        data={"decision": "decline", "message": "Komplet."},
    )
    assert response.status_code == 200
    assert f'id="applicants-shift-{shift.id}"' in response.text and "<html" not in response.text
    assert "Odpowiedź wysłana." in message_region(response)
    section = response.text.split(f'id="signup-{second.id}"')[1].split("</tr>")[0]
    assert "czeka na odpowiedź" in section  # promoted from the waitlist, shown at once
    db.session.expire_all()
    assert db.session.get(Signup, first.id).status == SignupStatus.DECLINED
    assert db.session.get(Signup, second.id).status == SignupStatus.PENDING


def test_htmx_answer_to_an_answered_application_is_refused(
    client, auth, shift, volunteer, organisation, ngo_owner
):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    service.decide(signup.id, accept=True, message="Do zobaczenia!", actor=ngo_owner)
    events = _events(signup.id)
    auth.login(ngo_owner)
    response = client.hx_post(
        f"{_org(organisation)}/zgloszenia/{signup.id}/decyzja", data={"decision": "decline"}
    )
    assert response.status_code == 409
    assert "To zgłoszenie ma już odpowiedź albo zostało wycofane." in message_region(response)
    missing = client.hx_post(f"{_org(organisation)}/zgloszenia/{signup.id}/decyzja", data={})
    assert missing.status_code == 422
    assert "Wybierz: przyjmij albo odrzuć." in message_region(missing)
    db.session.expire_all()
    signup = db.session.get(Signup, signup.id)
    assert signup.status == SignupStatus.ACCEPTED and signup.response_message == "Do zobaczenia!"
    assert _events(signup.id) == events


def test_htmx_attendance_after_the_shift_and_refused_before(
    client, auth, shift, volunteer, organisation, ngo_owner
):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    auth.login(ngo_owner)
    url = f"{_org(organisation)}/zgloszenia/{signup.id}/obecnosc"
    early = client.hx_post(url, data={"attended": "yes"})
    assert early.status_code == 422
    assert "Obecność i godziny można potwierdzić dopiero po terminie." in message_region(early)
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).hours_confirmed_at is None

    with freeze_time(shift.ends_at + timedelta(hours=1)):
        response = client.hx_post(url, data={"attended": "yes", "hours": "1.5"})
    assert response.status_code == 200
    assert "Obecność zapisana." in message_region(response)
    assert "potwierdzono 1,5 godz." in response.text
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).hours == 1.5


# --- "I'm coming" ------------------------------------------------------------------------------


def test_coming_link_confirms_a_held_place_and_explains_otherwise(
    client, make_opportunity, make_shift, volunteer, make_user
):
    shift = make_shift(make_opportunity(), capacity=1)
    held = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    waiting = service.sign_up(shift.id, user=make_user(), birth_year=ADULT)
    held_token = service.signup_token(held, "coming")
    waiting_token = service.signup_token(waiting, "coming")

    response = client.get(f"/wolontariat/przyjde/{held_token}")
    assert response.status_code == 200
    assert "Dziękujemy! Organizacja wie, że przyjdziesz." in response.text
    db.session.expire_all()
    confirmed = db.session.get(Signup, held.id).coming_confirmed_at
    assert confirmed is not None
    assert client.get(f"/wolontariat/przyjde/{held_token}").status_code == 200  # harmless twice
    db.session.expire_all()
    assert db.session.get(Signup, held.id).coming_confirmed_at == confirmed

    refused = client.get(f"/wolontariat/przyjde/{waiting_token}")
    assert "To zgłoszenie nie jest już aktywne albo termin minął." in refused.text
    db.session.expire_all()
    assert db.session.get(Signup, waiting.id).coming_confirmed_at is None


def test_htmx_im_coming_from_my_signups_and_refused_on_the_waitlist(
    client, auth, make_opportunity, make_shift, volunteer, make_user
):
    shift = make_shift(make_opportunity(), capacity=1)
    held = service.sign_up(shift.id, user=volunteer, birth_year=ADULT)
    other = make_user()
    waiting = service.sign_up(shift.id, user=other, birth_year=ADULT)
    auth.login(volunteer)
    assert f"/wolontariat/zgloszenia/{held.id}/przyjde" in client.get("/wolontariat/moje").text
    response = client.hx_post(f"/wolontariat/zgloszenia/{held.id}/przyjde")
    assert response.status_code == 200
    assert 'id="my-signups"' in response.text and "Potwierdzono: przyjdziesz" in response.text
    assert "Dziękujemy! Organizacja wie, że przyjdziesz." in message_region(response)
    db.session.expire_all()
    assert db.session.get(Signup, held.id).coming_confirmed_at is not None

    auth.login(other)
    refused = client.hx_post(f"/wolontariat/zgloszenia/{waiting.id}/przyjde")
    assert refused.status_code == 409
    assert "To zgłoszenie nie jest już aktywne albo termin minął." in message_region(refused)
    db.session.expire_all()
    assert db.session.get(Signup, waiting.id).coming_confirmed_at is None
    # Someone else's sign-up does not exist for this volunteer.
    assert client.hx_post(f"/wolontariat/zgloszenia/{held.id}/przyjde").status_code == 404
