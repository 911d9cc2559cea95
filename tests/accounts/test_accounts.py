"""Registration, confirmation, login, logout, password reset and change, as a user lives them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.accounts.models import User
from app.extensions import db
from tests.helpers import TEST_PASSWORD, Auth

NEW_PASSWORD = "Nowe-haslo-do-konta-7"


def register(client, **overrides):
    data = {
        "name": "Jan Kowalski",
        "email": "Jan.Kowalski@Example.org",
        "password": "Bardzo-dobre-haslo-1",
        "password_confirm": "Bardzo-dobre-haslo-1",
        "accept_privacy": "y",
    }
    data.update(overrides)
    return client.post("/konto/rejestracja", data=data)


def link_in(message) -> str:
    match = re.search(r"http://localhost(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_register_creates_unconfirmed_account_and_sends_confirmation(client, outbox):
    response = register(client)
    assert response.status_code == 303
    user = db.session.scalar(sa.select(User))
    assert user.email == "jan.kowalski@example.org"
    assert not user.is_confirmed
    assert user.check_password("Bardzo-dobre-haslo-1")
    assert user.password_hash.startswith("scrypt:")
    [mail] = outbox()
    assert mail.recipient == "jan.kowalski@example.org"
    assert "Potwierdź adres e-mail" in mail.subject

    response = client.get(link_in(mail), follow_redirects=True)
    assert "Adres e-mail potwierdzony" in response.text
    db.session.refresh(user)
    assert user.is_confirmed


def test_register_with_bad_input_keeps_values_and_explains(client):
    response = register(client, email="nie-email", password="krotkie", password_confirm="inne")
    assert response.status_code == 400
    page = response.text
    assert 'value="Jan Kowalski"' in page
    assert 'value="nie-email"' in page
    assert "To nie wygląda na poprawny adres e-mail." in page
    assert "Hasło musi mieć co najmniej 10 znaków." in page
    assert "Hasła nie są takie same." in page
    assert 'aria-invalid="true"' in page
    assert "Popraw błędy w formularzu" in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_register_requires_privacy_consent(client):
    response = register(client, accept_privacy="")
    assert response.status_code == 400
    assert "Bez tej zgody nie możemy założyć konta." in response.text


def test_register_refuses_common_password(client):
    response = register(client, password="1234567890", password_confirm="1234567890")
    assert response.status_code == 400
    assert "zbyt łatwe do odgadnięcia" in response.text


def test_duplicate_email_is_refused_whatever_the_case(client, make_user):
    make_user("jan.kowalski@example.org")
    response = register(client, email="JAN.kowalski@example.org")
    assert response.status_code == 400
    assert "Konto z tym adresem e-mail już istnieje" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_confirmation_link_that_was_tampered_with_is_refused(client, make_user):
    make_user("a@example.org", confirmed=False)
    response = client.get("/konto/potwierdz/not-a-token", follow_redirects=True)
    assert "Link potwierdzający jest nieprawidłowy lub wygasł" in response.text


def test_login_and_logout(client, auth, make_user):
    user = make_user("ola@example.org", name="Ola")
    response = auth.login_with_form("OLA@example.org")
    assert response.status_code == 303
    assert client.get("/konto").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None
    auth.logout()
    response = client.get("/konto")
    assert response.status_code == 302
    assert "/konto/logowanie" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(client, auth, make_user):
    make_user("ola@example.org")
    response = auth.login_with_form("ola@example.org", "zle-haslo-123")
    assert response.status_code == 400
    assert "Nieprawidłowy adres e-mail lub hasło." in response.text
    assert 'value="ola@example.org"' in response.text
    # An unknown account gets the very same answer.
    response = auth.login_with_form("nikt@example.org", "zle-haslo-123")
    assert "Nieprawidłowy adres e-mail lub hasło." in response.text


def test_login_redirects_only_to_local_pages(client, auth, make_user):
    make_user("ola@example.org")
    response = client.post(
        "/konto/logowanie?next=https://evil.example/",
        data={"email": "ola@example.org", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/konto"


def test_login_redirects_back_to_the_requested_page(client, auth, make_user):
    make_user("ola@example.org")
    response = client.get("/konto/haslo")
    assert response.status_code == 302
    response = client.post(
        "/konto/logowanie?next=/konto/haslo",
        data={"email": "ola@example.org", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/konto/haslo"


def test_remember_me_sets_a_persistent_cookie(client, auth, make_user):
    make_user("ola@example.org")
    response = auth.login_with_form("ola@example.org", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "Expires=" in c for c in cookies)


def test_blocked_account_cannot_log_in(client, auth, make_user):
    user = make_user("ola@example.org")
    user.is_active_account = False
    db.session.commit()
    response = auth.login_with_form("ola@example.org")
    assert response.status_code == 400
    assert "To konto zostało zablokowane." in response.text


def test_password_reset_by_emailed_token(client, auth, make_user, outbox):
    user = make_user("ola@example.org")
    response = client.post("/konto/haslo/reset", data={"email": "ola@example.org"})
    assert response.status_code == 303
    [mail] = outbox()
    link = link_in(mail)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    # The link works once only.
    response = client.get(link, follow_redirects=True)
    assert "nieprawidłowy, wygasł lub został już użyty" in response.text
    assert auth.login_with_form("ola@example.org", NEW_PASSWORD).status_code == 303


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = client.post(
        "/konto/haslo/reset", data={"email": "nikt@example.org"}, follow_redirects=True
    )
    assert "Jeśli konto z tym adresem istnieje" in response.text
    assert outbox() == []


def test_password_reset_token_expires(client, make_user, outbox):
    make_user("ola@example.org")
    client.post("/konto/haslo/reset", data={"email": "ola@example.org"})
    link = link_in(outbox()[0])
    with freeze_time(timedelta(hours=3), tick=True):
        response = client.get(link, follow_redirects=True)
    assert "nieprawidłowy, wygasł lub został już użyty" in response.text


def test_change_password_ends_other_sessions(app, client, auth, make_user):
    user = make_user("ola@example.org")
    other_device = app.test_client()
    Auth(other_device).login(user)
    assert other_device.get("/konto").status_code == 200

    auth.login(user)
    response = client.post(
        "/konto/haslo",
        data={
            "current_password": TEST_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303
    assert client.get("/konto").status_code == 200  # this session goes on
    assert other_device.get("/konto").status_code == 302  # the other one is logged out


def test_change_password_needs_the_current_one(client, auth, make_user):
    user = make_user("ola@example.org")
    auth.login(user)
    response = client.post(
        "/konto/haslo",
        data={
            "current_password": "niepoprawne-haslo",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "Obecne hasło jest nieprawidłowe." in response.text


def test_account_page_updates_name_and_language(client, auth, make_user):
    user = make_user("ola@example.org")
    auth.login(user)
    response = client.post("/konto", data={"name": "Aleksandra", "locale": "en"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.name == "Aleksandra"
    assert user.locale == "en"
    response = client.post("/konto", data={"name": "", "locale": "xx"})
    assert response.status_code == 400


def test_resend_confirmation(client, make_user, outbox):
    make_user("ola@example.org", confirmed=False)
    client.post("/konto/potwierdz", data={"email": "ola@example.org"})
    assert len(outbox()) == 1
    client.post("/konto/potwierdz", data={"email": "nikt@example.org"})
    assert len(outbox()) == 1


def test_post_without_csrf_token_is_refused(client, make_user):
    make_user("ola@example.org")
    response = client.post(
        "/konto/logowanie",
        data={"email": "ola@example.org", "password": TEST_PASSWORD},
        csrf=False,
    )
    assert response.status_code == 400
    assert "Formularz wygasł lub nie pochodzi z tej strony" in response.text


def test_htmx_post_with_csrf_header_is_accepted(client, make_user):
    make_user("ola@example.org")
    response = client.hx_post(
        "/konto/logowanie", data={"email": "ola@example.org", "password": TEST_PASSWORD}
    )
    # htmx is told to load the next page itself (a 303 would be followed inside the swap).
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/konto"


def test_user_downloads_own_data(client, auth, make_user, make_organisation):
    user = make_user("ola@example.org", name="Ola")
    make_organisation("Fundacja Ola", owner=user)
    auth.login(user)
    response = client.get("/konto/dane.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "ola@example.org"
    assert data["organisations"]["memberships"] == [
        {"organisation": "Fundacja Ola", "role": "owner"}
    ]


def test_data_download_needs_login(client):
    assert client.get("/konto/dane").status_code == 302
    assert client.get("/konto/dane.json").status_code == 302


def test_user_deletes_own_account(client, auth, make_user, make_organisation):
    from app.organisations.models import MemberRole, Membership

    user = make_user("ola@example.org")
    organisation = make_organisation(owner=user)
    other_owner = make_user("basia@example.org")
    organisation.memberships.append(Membership(user=other_owner, role=MemberRole.OWNER))
    db.session.commit()
    auth.login(user)
    response = client.post("/konto/usun", data={"password": "zle-haslo", "confirm": "y"})
    assert response.status_code == 400
    assert "Nieprawidłowe hasło." in response.text
    response = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(User).where(User.email == "ola@example.org")) is None
    db.session.refresh(organisation)
    assert [m.user_id for m in organisation.memberships] == [other_owner.id]
    assert client.get("/konto").status_code == 302


def test_only_owner_or_manager_cannot_delete_the_account_before_handing_over(
    app, client, auth, make_user, make_organisation, make_provider
):
    """Deleting the only owner's account orphaned the organisation and its bookings."""
    from app.accounts import privacy
    from app.domain import DomainError
    from app.organisations.models import MemberRole, Membership

    ola = make_user("ola@example.org")
    editor = make_user("redaktor@example.org")
    organisation = make_organisation("Fundacja Jedynej Właścicielki", owner=ola, editors=[editor])
    provider = make_provider("Szkoła Podstawowa nr 9", managers=[ola])
    ola_id, editor_id = ola.id, editor.id
    auth.login(ola)

    page = client.get("/konto/usun")
    assert "Najpierw przekaż zarządzanie" in page.text
    assert "Fundacja Jedynej Właścicielki" in page.text
    assert f"/organizacje/{organisation.slug}/czlonkowie" in page.text
    assert "Szkoła Podstawowa nr 9" in page.text

    response = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 409
    assert "jesteś jedyną osobą zarządzającą" in response.text
    db.session.expire_all()
    assert db.session.get(User, ola_id) is not None
    assert client.get("/konto").status_code == 200  # still logged in

    # The rule is the service's: no other entry point can delete the account either.
    with app.test_request_context(), pytest.raises(DomainError):
        privacy.delete_account(db.session.get(User, ola_id))
    db.session.rollback()

    # A second owner takes over the organisation: only the provider still blocks.
    db.session.scalar(
        sa.select(Membership).where(Membership.user_id == editor_id)
    ).role = MemberRole.OWNER
    db.session.commit()
    blockers = privacy.sole_responsibilities(db.session.get(User, ola_id))
    assert blockers.organisations == [] and [p.id for p in blockers.providers] == [provider.id]

    from app.spaces.models import ProviderManager

    db.session.add(ProviderManager(provider_id=provider.id, user_id=editor_id))
    db.session.commit()
    response = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, ola_id) is None
    assert [m.user_id for m in db.session.get(type(organisation), organisation.id).memberships] == [
        editor_id
    ]


def test_an_htmx_post_with_errors_to_an_account_form_is_no_500(client):
    """The fragment renderer cannot reach a block the page only inherits: a failed login sent
    with HX-Request once answered 500."""
    response = client.hx_post("/konto/logowanie", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "Podaj adres e-mail." in response.text
