"""RODO rights through the app: "download my data" holds every domain (booking requests, the
decisions a person took, barter entries, sign-ups, calendar links without their secret, consents,
kept e-mails), readable as a page and as JSON, only one's own; deleting the account erases the
e-mails to the address and leaves "osoba usunięta" where the person acted."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.calendars.models import FeedToken
from app.calendars.service import feed_token, volunteer_scope
from app.extensions import db
from app.mail import OutboxMessage
from app.spaces.models import BookingSeries, ProviderManager, TermsKind
from app.volunteering import service as volunteering
from tests.helpers import TEST_PASSWORD
from tests.spaces.conftest import next_weekday

DECLINE_REASON = "Tego dnia jest zebranie z rodzicami."
BARTER = "Warsztaty plastyczne dla klasy 3b"


def build_a_year(client, auth, make_space, make_opportunity, make_shift, people):
    """Through the app: a booking request, its refusal, a barter entry and its withdrawal, a
    sign-up and the organisation's answer; e-mails go out on the way."""
    owner, manager, volunteer = people["owner"], people["manager"], people["volunteer"]
    room = make_space("Sala gimnastyczna", terms=TermsKind.BARTER, min_notice_hours=0)
    organisation = owner.memberships[0].organisation
    day = next_weekday(2)
    auth.login(owner)
    response = client.post(
        f"/przestrzenie/sala/{room.slug}/rezerwuj",
        data={
            "purpose": "Zajęcia taneczne dla seniorów",
            "people": "15",
            "day": day.isoformat(),
            "start": "17:00",
            "end": "19:00",
            "recurrence": "once",
            "action": "send",
            "organisation": str(organisation.id),
        },
    )
    assert response.status_code == 303
    series = db.session.scalars(sa.select(BookingSeries)).one()
    auth.login(manager)
    declined = client.post(
        f"/przestrzenie/rezerwacje/{series.id}/odrzuc", data={"reason": DECLINE_REASON}
    )
    assert declined.status_code == 303
    barter = f"/przestrzenie/barter/{room.provider.slug}/{organisation.slug}"
    past = (day - timedelta(weeks=3)).isoformat()
    assert (
        client.post(barter, data={"day": past, "hours": "2", "description": BARTER}).status_code
        == 303
    )
    delivery_id = db.session.scalar(sa.text("SELECT max(id) FROM barter_deliveries"))
    withdrawn = client.post(f"{barter}/{delivery_id}/wycofaj", data={"reason": "Zapisane dwa razy"})
    assert withdrawn.status_code == 303

    shift = make_shift(make_opportunity("Dyżur w jadłodzielni", org=organisation))
    signup = volunteering.sign_up(shift.id, user=volunteer, birth_year=1990, message="Mogę od 9")
    feed_token(volunteer_scope(volunteer.id), volunteer.id)
    db.session.commit()
    auth.login(owner)
    answer = client.post(
        f"/wolontariat/organizacja/{organisation.slug}/zgloszenia/{signup.id}/decyzja",
        data={"decision": "accept", "message": "Do zobaczenia!"},
    )
    assert answer.status_code == 303
    return series, barter


def people_of(make_user, organisation, provider, provider_manager, ngo_owner):
    return {
        "owner": ngo_owner,
        "manager": provider_manager,
        "volunteer": make_user(name="Ola Wolna"),
    }


def test_download_holds_every_domain_and_only_ones_own(
    client, auth, make_user, make_space, make_opportunity, make_shift,
    organisation, provider, provider_manager, ngo_owner,
):  # fmt: skip
    people = people_of(make_user, organisation, provider, provider_manager, ngo_owner)
    build_a_year(client, auth, make_space, make_opportunity, make_shift, people)

    auth.login(ngo_owner)
    data = client.get("/konto/dane.json").get_json()
    assert data["account"]["email"] == ngo_owner.email
    assert [c["document"] for c in data["consents"]] == ["terms", "privacy"]
    request = data["spaces"]["booking_requests"][0]
    assert (
        request["purpose"] == "Zajęcia taneczne dla seniorów"
        and request["space"] == "Sala gimnastyczna"
    )
    assert request["occurrences"][0]["status"] == "declined"
    assert request["occurrences"][0]["reason"] == DECLINE_REASON
    answered = data["volunteering"]["decisions"][0]
    assert (answered["opportunity"], answered["to"]) == ("Dyżur w jadłodzielni", "accepted")
    subjects = [m["subject"] for m in data["emails"]]
    assert subjects and all(m["body"] for m in data["emails"])
    assert data["organisations"]["memberships"][0]["role"] == "owner"

    auth.login(provider_manager)
    data = client.get("/konto/dane.json").get_json()
    decision = data["spaces"]["booking_decisions"][0]
    assert (decision["from"], decision["to"], decision["reason"]) == (
        "pending",
        "declined",
        DECLINE_REASON,
    )
    entry = data["spaces"]["barter_entries"][0]
    assert entry["description"] == BARTER and entry["hours"] == "2.00"
    assert entry["recorded_by_you"] and entry["withdrawn_by_you"]
    assert entry["withdrawn_reason"] == "Zapisane dwa razy"
    assert data["spaces"]["provider_roles"] == [{"provider": provider.name}]
    assert any(DECLINE_REASON not in m["body"] for m in data["emails"])

    volunteer = people["volunteer"]
    auth.login(volunteer)
    response = client.get("/konto/dane.json")
    data = response.get_json()
    signup = data["volunteering"]["signups"][0]
    assert (signup["message"], signup["response_message"]) == ("Mogę od 9", "Do zobaczenia!")
    assert signup["status"] == "accepted"
    token = db.session.scalars(
        sa.select(FeedToken).where(FeedToken.holder_id == volunteer.id)
    ).one()
    assert data["calendars"]["feed_tokens"] == [
        {
            "scope": f"volunteer:{volunteer.id}",
            "created_at": token.created_at.isoformat(),
            "revoked_at": None,
        }
    ]
    assert token.token not in response.text and token.digest not in response.text
    mail_to_her = db.session.scalars(
        sa.select(OutboxMessage.subject)
        .where(OutboxMessage.recipient == volunteer.email)
        .order_by(OutboxMessage.id)
    ).all()
    assert [m["subject"] for m in data["emails"]] == mail_to_her and mail_to_her
    # Only one's own: nothing of the others is in it, whatever the query says.
    other = client.get(f"/konto/dane.json?user_id={ngo_owner.id}&email={ngo_owner.email}")
    assert ngo_owner.email not in other.text and provider_manager.email not in other.text
    assert DECLINE_REASON not in other.text and BARTER not in other.text


def test_the_readable_view_shows_the_same(
    client, auth, make_user, make_space, make_opportunity, make_shift,
    organisation, provider, provider_manager, ngo_owner,
):  # fmt: skip
    people = people_of(make_user, organisation, provider, provider_manager, ngo_owner)
    build_a_year(client, auth, make_space, make_opportunity, make_shift, people)
    auth.login(provider_manager)
    page = client.get("/konto/dane")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Cache-Control"] == "no-store"
    text = page.text
    for expected in ("Twoje decyzje o rezerwacjach", "Wpisy barteru", DECLINE_REASON, BARTER,
                     "Akceptacje dokumentów", "E-maile do Ciebie", 'href="/konto/dane.json"'):  # fmt: skip
        assert expected in text, expected
    auth.login(people["volunteer"])
    text = client.get("/konto/dane").text
    assert "Zgłoszenia na dyżury" in text and "Mogę od 9" in text
    assert "Prywatne linki do kalendarzy" in text
    client.post("/jezyk", data={"lang": "en"})
    assert "Your data" in client.get("/konto/dane").text


def test_deletion_erases_the_mail_and_history_says_osoba_usunieta(
    client, auth, make_user, make_space, make_opportunity, make_shift,
    organisation, provider, provider_manager, ngo_owner,
):  # fmt: skip
    people = people_of(make_user, organisation, provider, provider_manager, ngo_owner)
    series, barter = build_a_year(client, auth, make_space, make_opportunity, make_shift, people)
    colleague = make_user("wicedyrektor@example.org", name="Wicedyrektorka")
    db.session.add(ProviderManager(provider_id=provider.id, user_id=colleague.id))
    db.session.commit()
    address, name = provider_manager.email, provider_manager.name
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.recipient == address))

    auth.login(provider_manager)
    response = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.recipient == address)) == 0
    )
    assert not any(address in m.body for m in db.session.scalars(sa.select(OutboxMessage)))

    auth.login(colleague)
    history = client.get(f"/przestrzenie/rezerwacje/{series.id}").text
    assert "(osoba usunięta)" in history and name not in history
    ledger = client.get(barter).text
    assert "(osoba usunięta)" in ledger and "Zapisane dwa razy" in ledger
    # The organisation sees the same history: its own request under its owner's name.
    auth.login(ngo_owner)
    history = client.get(f"/przestrzenie/rezerwacje/{series.id}").text
    assert "(osoba usunięta)" in history and f"({ngo_owner.name})" in history


def test_deleting_a_volunteer_marks_her_in_others_history(
    client, auth, make_user, make_opportunity, make_shift, ngo_owner, organisation
):
    from app.volunteering.models import SignupEvent

    volunteer = make_user("ola@example.org")
    shift = make_shift(make_opportunity("Dyżur"), starts_in=timedelta(days=2))
    signup = volunteering.sign_up(shift.id, user=volunteer, birth_year=1990)
    db.session.commit()
    auth.login(ngo_owner)
    client.post(
        f"/wolontariat/organizacja/{organisation.slug}/zgloszenia/{signup.id}/decyzja",
        data={"decision": "accept", "message": ""},
    )
    owner_id = ngo_owner.id
    second_owner = make_user("druga@example.org")
    from app.organisations.models import MemberRole, Membership

    db.session.add(
        Membership(organisation_id=organisation.id, user=second_owner, role=MemberRole.OWNER)
    )
    db.session.commit()
    response = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    events = db.session.scalars(
        sa.select(SignupEvent).where(SignupEvent.signup_id == signup.id)
    ).all()
    decided = [e for e in events if e.to_status.value == "accepted"]
    assert decided and decided[0].actor_id is None and decided[0].actor_deleted
    assert not any(e.actor_id == owner_id for e in events)
